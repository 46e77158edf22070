using System.Text;
using RabbitMQ.Client;

namespace RegistryCleaner.Integration.Tests.Support;

/// <summary>Publishes a body as any AMQP client would: no envelope, just the properties it is given.</summary>
public sealed class PlainJsonPublisher : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;

    private PlainJsonPublisher(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public static async Task<PlainJsonPublisher> ConnectAsync(string brokerUri)
    {
        var connection = await new ConnectionFactory { Uri = new Uri(brokerUri) }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        return new PlainJsonPublisher(connection, channel);
    }

    /// <summary>To the queue's own exchange (the worker's queues each have one of their name), persistent, confirmed by the broker.</summary>
    public async Task PublishAsync(string queue, string body, string? contentType = "application/json", string? messageId = null, string? userId = null)
    {
        var properties = new BasicProperties { ContentType = contentType, Persistent = true, MessageId = messageId, UserId = userId };
        await _channel.BasicPublishAsync(queue, "", true, properties, Encoding.UTF8.GetBytes(body));
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
