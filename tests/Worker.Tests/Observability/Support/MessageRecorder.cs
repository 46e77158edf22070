using System.Collections.Concurrent;
using System.Text.Json;
using MassTransit;

namespace RegistryCleaner.Worker.Tests.Observability.Support;

public sealed record RecordedMessage(string Direction, object Message, string? Destination, IReadOnlyList<string> Headers);

/// <summary>Every message the worker's bus sends or publishes, with its headers, as an observer on the bus sees them.</summary>
public sealed class MessageRecorder : IPublishObserver, ISendObserver
{
    private readonly ConcurrentQueue<RecordedMessage> _messages = new();

    public IReadOnlyList<RecordedMessage> Messages => _messages.ToArray();

    public IEnumerable<T> Published<T>() => Messages.Where(m => m.Direction == "publish").Select(m => m.Message).OfType<T>();

    /// <summary>Everything a message holds as text: its JSON, its destination and every header.</summary>
    public static IEnumerable<string> Texts(RecordedMessage message) =>
        [JsonSerializer.Serialize(message.Message, message.Message.GetType()), message.Destination ?? "", .. message.Headers];

    public Task PrePublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;

    public Task PostPublish<T>(PublishContext<T> context) where T : class => Record("publish", context);

    public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Record("publish-fault " + exception, context);

    public Task PreSend<T>(SendContext<T> context) where T : class => Task.CompletedTask;

    public Task PostSend<T>(SendContext<T> context) where T : class => Record("send", context);

    public Task SendFault<T>(SendContext<T> context, Exception exception) where T : class => Record("send-fault " + exception, context);

    private Task Record<T>(string direction, SendContext<T> context) where T : class
    {
        var headers = context.Headers.GetAll().Select(h => $"{h.Key}={h.Value}").ToList();
        _messages.Enqueue(new RecordedMessage(direction, context.Message, context.DestinationAddress?.ToString(), headers));
        return Task.CompletedTask;
    }
}
