using MassTransit;
using Microsoft.Extensions.Options;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Messaging;

namespace RegistryCleaner.Worker.Deletion;

/// <summary>The two deletion commands, each on its own queue; <see cref="DeletionService"/> carries both out.</summary>
public sealed class DeleteTagConsumer(DeletionService deletions) : IConsumer<DeleteTag>
{
    public Task Consume(ConsumeContext<DeleteTag> context) => deletions.DeleteAsync(context);
}

public sealed class DeleteRepositoryConsumer(DeletionService deletions) : IConsumer<DeleteRepository>
{
    public Task Consume(ConsumeContext<DeleteRepository> context) => deletions.DeleteAsync(context);
}

public sealed class DeleteTagConsumerDefinition(IOptions<ConsumerOptions> options)
    : CommandConsumerDefinition<DeleteTagConsumer>(QueueNames.DeleteTag, options.Value.ConcurrentMessageLimit);

public sealed class DeleteRepositoryConsumerDefinition(IOptions<ConsumerOptions> options)
    : CommandConsumerDefinition<DeleteRepositoryConsumer>(QueueNames.DeleteRepository, options.Value.ConcurrentMessageLimit);
