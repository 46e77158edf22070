using System.Collections.Concurrent;
using MassTransit;

namespace RegistryCleaner.Worker.Tests.Support;

/// <summary>
/// Knows when the commands a test sent have been handled to the end of their delivery (consumer, retries, outbox,
/// error queue): only then is what they published complete, so that a test can assert that nothing more came.
/// </summary>
public sealed class ReceivedCommands : IReceiveObserver
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _expected = new();

    public void Expect(Guid messageId) => _expected[messageId] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task AllHandledAsync(TimeSpan bound)
    {
        try
        {
            await Task.WhenAll(_expected.Values.Select(t => t.Task)).WaitAsync(bound);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{_expected.Values.Count(t => !t.Task.IsCompleted)} sent commands were not handled within {bound.TotalSeconds:F0} s.");
        }
    }

    public Task PostReceive(ReceiveContext context) => Handled(context);

    public Task ReceiveFault(ReceiveContext context, Exception exception) => Handled(context);

    private Task Handled(ReceiveContext context)
    {
        if (context.GetMessageId() is { } id && _expected.TryGetValue(id, out var handled))
            handled.TrySetResult();
        return Task.CompletedTask;
    }

    public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) where T : class => Task.CompletedTask;
}
