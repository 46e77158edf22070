using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RegistryCleaner.Contracts;

namespace RegistryCleaner.Integration.Tests.Support;

/// <summary>
/// A queue of the test's own bound to the plain JSON events exchange, as a Python or shell observer would bind one: no
/// MassTransit, only the AMQP properties and the JSON body.
/// </summary>
public sealed class PlainEventQueue : IAsyncDisposable
{
    public sealed record Delivery(string RoutingKey, string? Type, string? ContentType, bool Persistent, string? UserId, string Body)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;

        public Guid? Id => Json.TryGetProperty("requestId", out var id) || Json.TryGetProperty("runId", out id) ? id.GetGuid() : null;
    }

    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly ConcurrentQueue<Delivery> _deliveries = new();

    private PlainEventQueue(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public IReadOnlyCollection<Delivery> Received => _deliveries;

    public static async Task<PlainEventQueue> BindAsync(string brokerUri, params string[] routingKeys)
    {
        var connection = await new ConnectionFactory { Uri = new Uri(brokerUri) }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var self = new PlainEventQueue(connection, channel);
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        foreach (var key in routingKeys)
            await channel.QueueBindAsync(queue, EventsExchange.Name, key);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, e) =>
        {
            var p = e.BasicProperties;
            self._deliveries.Enqueue(new Delivery(e.RoutingKey, p.Type, p.ContentType, p.Persistent, p.UserId, Encoding.UTF8.GetString(e.Body.Span)));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);
        return self;
    }

    /// <summary>The first event whose requestId (or runId) is <paramref name="id"/>.</summary>
    public Task<Delivery> ForAsync(Guid id, TimeSpan? timeout = null) => WaitAsync(d => d.Id == id, $"an event for {id}", timeout);

    public Task<Delivery> WaitAsync(Func<Delivery, bool> match, string what, TimeSpan? timeout = null) =>
        Eventually.FoundAsync(() => _deliveries.FirstOrDefault(match), timeout ?? TimeSpan.FromSeconds(60),
            () => $"no {what} on {EventsExchange.Name}; received: {string.Join(" | ", _deliveries.Select(d => d.RoutingKey))}");

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
