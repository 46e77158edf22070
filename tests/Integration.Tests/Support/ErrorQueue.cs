using System.Text;
using RabbitMQ.Client;

namespace RegistryCleaner.Integration.Tests.Support;

/// <summary>A message as it sits in a queue: body and AMQP headers, with the header table's size on the wire (near enough).</summary>
public sealed record RawMessage(byte[] Body, IReadOnlyDictionary<string, object?> Headers)
{
    public int HeaderBytes => Headers.Sum(h => h.Key.Length + 8 + h.Value switch
    {
        byte[] bytes => bytes.Length,
        null => 0,
        var other => other.ToString()!.Length,
    });

    public string? Text(string name) => Headers.TryGetValue(name, out var value) ? value switch
    {
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        null => null,
        var other => other.ToString(),
    } : null;

    public static RawMessage Of(BasicGetResult message) =>
        new(message.Body.ToArray(), new Dictionary<string, object?>(message.BasicProperties.Headers ?? new Dictionary<string, object?>()));
}

public static class ErrorQueue
{
    /// <summary>Takes every message out of <paramref name="queue"/> (acknowledged: the test owns the virtual host).</summary>
    public static Task<List<RawMessage>> TakeAsync(string brokerUri, string queue) => ReadAsync(brokerUri, queue, take: true);

    /// <summary>Every message in <paramref name="queue"/>, left there (unacknowledged gets go back when the channel closes).</summary>
    public static Task<List<RawMessage>> PeekAsync(string brokerUri, string queue) => ReadAsync(brokerUri, queue, take: false);

    private static async Task<List<RawMessage>> ReadAsync(string brokerUri, string queue, bool take)
    {
        var factory = new ConnectionFactory { Uri = new Uri(brokerUri) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var read = new List<RawMessage>();
        while (await channel.BasicGetAsync(queue, autoAck: take) is { } message)
            read.Add(RawMessage.Of(message));
        return read;
    }
}

/// <summary>A queue of the test's own bound to the DeletionFailed exchange, read raw, so a test sees the event's headers as the broker holds them.</summary>
public sealed class FailedEvents : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly string _queue;

    private FailedEvents(IConnection connection, IChannel channel, string queue)
    {
        _connection = connection;
        _channel = channel;
        _queue = queue;
    }

    public static async Task<FailedEvents> BindAsync(string brokerUri)
    {
        const string exchange = "RegistryCleaner.Contracts:DeletionFailed";
        var connection = await new ConnectionFactory { Uri = new Uri(brokerUri) }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, exchange, "");
        return new FailedEvents(connection, channel, queue);
    }

    /// <summary>The event for <paramref name="requestId"/>, waiting up to 30 s for it.</summary>
    public async Task<RawMessage> NextAsync(Guid requestId)
    {
        var needle = Encoding.UTF8.GetBytes(requestId.ToString());
        return await Eventually.FoundAsync<RawMessage>(async () =>
        {
            while (await _channel.BasicGetAsync(_queue, autoAck: true) is { } message)
            {
                if (message.Body.Span.IndexOf(needle) >= 0)
                    return RawMessage.Of(message);
            }
            return null;
        }, TimeSpan.FromSeconds(30), () => $"no DeletionFailed for {requestId}");
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _connection.CloseAsync();
        _connection.Dispose();
    }
}
