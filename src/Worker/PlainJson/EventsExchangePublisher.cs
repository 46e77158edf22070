using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RegistryCleaner.Contracts;
using RegistryCleaner.Common.Messaging;

namespace RegistryCleaner.Worker.PlainJson;

/// <summary>
/// Publishes the plain JSON copy of each event to the events exchange on a connection of its own, with publisher confirms.
/// <para>
/// Not through a MassTransit send endpoint: a send transport whose first exchange declaration is cut by a connection loss
/// never recovers in MassTransit 8.5 (every later declaration on it times out, and its sends are retried without end), which
/// held every redelivered command after a broker restart. Here any failure drops the channel and connection, and the next
/// publish opens new ones; the command whose event failed is retried, as when the bus's own publish fails.
/// </para>
/// </summary>
public sealed class EventsExchangePublisher(BrokerAddress broker, ILogger<EventsExchangePublisher> log) : IAsyncDisposable
{
    private static readonly TimeSpan ConfirmTimeout = TimeSpan.FromSeconds(15);
    private readonly SemaphoreSlim _opening = new(1, 1);
    private OpenChannel? _open;

    public async Task PublishAsync(string routingKey, string type, ReadOnlyMemory<byte> body, Guid? messageId, CancellationToken ct)
    {
        var open = await OpenAsync(ct);
        var properties = new BasicProperties
        {
            ContentType = "application/json",
            DeliveryMode = DeliveryModes.Persistent,
            Type = type,
            MessageId = messageId?.ToString(),
            UserId = broker.Username,
        };
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(ConfirmTimeout);
        try
        {
            await open.Channel.BasicPublishAsync(EventsExchange.Name, routingKey, mandatory: false, properties, body, bounded.Token);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            log.LogWarning("Publishing {Type} to the events exchange failed ({Error}); the next event opens a new connection", type, e.Message);
            await CloseAsync(open);
            throw;
        }
    }

    /// <summary>Connects and declares the exchange, so observers can bind to it before the first event.</summary>
    public Task ConnectAsync(CancellationToken ct) => OpenAsync(ct);

    private async Task<OpenChannel> OpenAsync(CancellationToken ct)
    {
        if (_open is { } open && open.Channel.IsOpen)
            return open;
        await _opening.WaitAsync(ct);
        try
        {
            if (_open is { } current && current.Channel.IsOpen)
                return current;
            if (_open is { } closed)
                await CloseAsync(closed);
            var connection = await BrokerConnection.ConnectAsync(broker, "events exchange", log, ct);
            var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
            // Durable topic, no arguments: as before, when the bus declared it on its first send.
            await channel.ExchangeDeclareAsync(EventsExchange.Name, ExchangeType.Topic, durable: true, autoDelete: false, arguments: null, cancellationToken: ct);
            var opened = new OpenChannel(connection, channel);
            _open = opened;
            return opened;
        }
        finally
        {
            _opening.Release();
        }
    }

    private async Task CloseAsync(OpenChannel open)
    {
        Interlocked.CompareExchange(ref _open, null, open);
        try
        {
            await open.Channel.DisposeAsync();
            await open.Connection.DisposeAsync();
        }
        catch (Exception e)
        {
            log.LogDebug("Closing the events exchange connection: {Error}", e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_open is { } open)
            await CloseAsync(open);
        _opening.Dispose();
    }

    private sealed record OpenChannel(IConnection Connection, IChannel Channel);
}
