using MassTransit;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Messaging;

namespace RegistryCleaner.Worker.Retention;

public sealed class RetentionRunConsumerDefinition() : CommandConsumerDefinition<RetentionRunConsumer>(QueueNames.RunRetentionPolicy, 2);

public sealed class RetentionPoliciesConsumerDefinition : ConsumerDefinition<RetentionPoliciesConsumer>
{
    public RetentionPoliciesConsumerDefinition() => EndpointName = QueueNames.RetentionPolicies;
}
