using MassTransit;
using RegistryCleaner.Contracts;

namespace RegistryCleaner.Worker.Retention;

public sealed class RetentionRunConsumerDefinition : ConsumerDefinition<RetentionRunConsumer>
{
    public RetentionRunConsumerDefinition()
    {
        EndpointName = QueueNames.RunRetentionPolicy;
        ConcurrentMessageLimit = 2;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<RetentionRunConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(r => r.Exponential(3, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(200)));
        endpointConfigurator.UseInMemoryOutbox(context);
    }
}

public sealed class RetentionPoliciesConsumerDefinition : ConsumerDefinition<RetentionPoliciesConsumer>
{
    public RetentionPoliciesConsumerDefinition() => EndpointName = QueueNames.RetentionPolicies;
}
