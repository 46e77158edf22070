using MassTransit;
using Microsoft.Extensions.Options;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Messaging;

namespace RegistryCleaner.Worker.Deletion;

/// <summary>
/// Registry answers are retried inside the consumer, per request. What remains here: a short retry for failures
/// of the worker's own infrastructure (a publish that did not reach the broker), and the in-memory outbox, so
/// result events leave only once the outcome is final.
/// </summary>
public abstract class DeletionConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    protected DeletionConsumerDefinition(string queue, IOptions<ConsumerOptions> options)
    {
        EndpointName = queue;
        ConcurrentMessageLimit = options.Value.ConcurrentMessageLimit;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r => r.Exponential(3, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(200)));
        endpointConfigurator.UseInMemoryOutbox(context);
    }
}

public sealed class DeleteTagConsumerDefinition(IOptions<ConsumerOptions> options)
    : DeletionConsumerDefinition<DeleteTagConsumer>(QueueNames.DeleteTag, options);

public sealed class DeleteRepositoryConsumerDefinition(IOptions<ConsumerOptions> options)
    : DeletionConsumerDefinition<DeleteRepositoryConsumer>(QueueNames.DeleteRepository, options);
