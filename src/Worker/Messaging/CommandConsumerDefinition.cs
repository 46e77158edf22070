using MassTransit;

namespace RegistryCleaner.Worker.Messaging;

/// <summary>
/// The endpoint of a command consumer. Registry answers are retried inside the consumer, per request. What remains here:
/// a short retry for failures of the worker's own infrastructure (a publish that did not reach the broker), and the
/// in-memory outbox, so result events leave only once the outcome is final.
/// </summary>
public abstract class CommandConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    protected CommandConsumerDefinition(string queue, int concurrentMessageLimit)
    {
        EndpointName = queue;
        ConcurrentMessageLimit = concurrentMessageLimit;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r => r.Exponential(3, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(200)));
        endpointConfigurator.UseInMemoryOutbox(context);
    }
}
