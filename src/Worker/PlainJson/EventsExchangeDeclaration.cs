using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RegistryCleaner.Common.Messaging;
using RegistryCleaner.Contracts;
namespace RegistryCleaner.Worker.PlainJson;

/// <summary>
/// Declares the events exchange when the worker starts, so observers can bind to it before the first event (amqp-consume
/// cannot declare an exchange). Declared exactly as the bus declares it on its first send: durable topic, no arguments.
/// Start-up waits for it a little, so it is there once the worker has started; a broker that is not reachable yet does not
/// hold the worker up (the bus reports that itself): the declaration goes on trying in the background.
/// </summary>
public sealed class EventsExchangeDeclaration(BrokerAddress broker, ILogger<EventsExchangeDeclaration> log) : IHostedService
{
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(5);
    private readonly CancellationTokenSource _stopping = new();
    private Task _declaration = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _declaration = Task.Run(() => DeclareAsync(_stopping.Token), CancellationToken.None);
        await Task.WhenAny(_declaration, Task.Delay(StartWait, cancellationToken));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _declaration.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        _stopping.Dispose();
    }

    private async Task DeclareAsync(CancellationToken ct)
    {
        try
        {
            await using var connection = await BrokerConnection.ConnectAsync(broker, "events exchange declaration", log, ct);
            await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
            await channel.ExchangeDeclareAsync(EventsExchange.Name, ExchangeType.Topic, durable: true, autoDelete: false, arguments: null, cancellationToken: ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("Could not declare the events exchange {Exchange} ({Error}); the first event declares it", EventsExchange.Name, e.Message);
        }
    }
}
