using MassTransit;
using RegistryCleaner.Common.Messaging;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Journal;
using RegistryCleaner.Worker.Protection;
using RegistryCleaner.Worker.Registries;

namespace RegistryCleaner.Worker.Deletion;

public sealed class DeleteRepositoryConsumer(CommandValidator validator, DeletionRules rules, DeletionCommandHandler handler) : IConsumer<DeleteRepository>
{
    public Task Consume(ConsumeContext<DeleteRepository> context)
    {
        var command = context.Message;
        var publisher = context.VerifiedPublisher();
        var refusal = validator.Check(command, publisher, out var client);
        return handler.HandleAsync(context, DeletionTarget.Of(command, publisher), refusal, client, async (registry, attempts, ct) =>
        {
            await RefuseIfProtectedAsync(registry, command.Repository, attempts, ct);
            return await registry.DeleteRepositoryAsync(command.Repository, command.DeleteTagsFirst, attempts, ct);
        });
    }

    /// <summary>
    /// Deleting a repository deletes every tag in it, so where tags are protected the repository is listed first, and one
    /// protected tag refuses the whole deletion. A repository that does not exist holds nothing to protect.
    /// </summary>
    private async Task RefuseIfProtectedAsync(IRegistryClient registry, string repository, OperationAttempts attempts, CancellationToken ct)
    {
        var registryRules = rules.For(registry.Name);
        if (!registryRules.HasProtectedTags)
            return;
        var tags = await registry.ListTagsAsync(repository, attempts, ct);
        if (tags is not null && registryRules.ProtectedTagsIn(repository, tags.Select(t => t.Name)) is { } detail)
            throw new RegistryFailureException(FailureKind.Forbidden, null, detail);
    }
}
