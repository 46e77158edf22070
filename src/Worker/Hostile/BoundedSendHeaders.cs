using MassTransit;
using RegistryCleaner.Common.Messaging;

namespace RegistryCleaner.Worker.Hostile;

/// <summary>
/// Applies <see cref="HeaderBounds"/> to everything the worker's bus sends or publishes (result events, <c>_error</c> copies,
/// faults, the commands a retention run sends). A send observer sees the message after every pipe has run, the copy of the
/// consumed message's headers that MassTransit makes included, and before the headers and the envelope are written.
/// (An observer rather than a send filter: MassTransit's trace headers are set after the send pipes have run.)
/// </summary>
public sealed class BoundedSendHeaders : ISendObserver, IPublishObserver
{
    // MassTransit tells publish transports' sends to publish observers only, at the same point.
    public Task PrePublish<T>(PublishContext<T> context) where T : class
    {
        HeaderBounds.Apply(context.Headers);
        return Task.CompletedTask;
    }

    public Task PostPublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;

    public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;

    public Task PreSend<T>(SendContext<T> context) where T : class
    {
        HeaderBounds.Apply(context.Headers);
        return Task.CompletedTask;
    }

    public Task PostSend<T>(SendContext<T> context) where T : class => Task.CompletedTask;

    public Task SendFault<T>(SendContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
