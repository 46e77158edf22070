using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Hosting;

namespace RegistryCleaner.Worker.PlainJson;

/// <summary>
/// Declares the events exchange when the worker starts, so observers can bind to it before the first event (amqp-consume
/// cannot declare an exchange). Declared exactly as the bus declares it on its first send: durable topic, no arguments.
/// </summary>
public sealed class EventsExchangeDeclaration(BrokerAddress broker, ILogger<EventsExchangeDeclaration> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = await BrokerConnection.ConnectAsync(broker, "events exchange declaration", log, cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.ExchangeDeclareAsync(EventsExchange.Name, ExchangeType.Topic, durable: true, autoDelete: false, arguments: null, cancellationToken: cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
