using MassTransit;
using Microsoft.Extensions.Options;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Messaging;

namespace RegistryCleaner.Worker.Deletion;

public sealed class DeleteTagConsumer(DeletionService deletions) : IConsumer<DeleteTag>
{
    public Task Consume(ConsumeContext<DeleteTag> context) => deletions.DeleteAsync(context);
}

public sealed class DeleteTagConsumerDefinition(IOptions<ConsumerOptions> options)
    : CommandConsumerDefinition<DeleteTagConsumer>(QueueNames.DeleteTag, options.Value.ConcurrentMessageLimit);
