using MassTransit;
using Microsoft.Extensions.Options;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Messaging;

namespace RegistryCleaner.Worker.Deletion;

public sealed class DeleteRepositoryConsumer(DeletionService deletions) : IConsumer<DeleteRepository>
{
    public Task Consume(ConsumeContext<DeleteRepository> context) => deletions.DeleteAsync(context);
}

public sealed class DeleteRepositoryConsumerDefinition(IOptions<ConsumerOptions> options)
    : CommandConsumerDefinition<DeleteRepositoryConsumer>(QueueNames.DeleteRepository, options.Value.ConcurrentMessageLimit);
