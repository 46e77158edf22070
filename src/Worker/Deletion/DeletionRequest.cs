using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Journal;
using RegistryCleaner.Worker.Protection;
using RegistryCleaner.Worker.Registries;

namespace RegistryCleaner.Worker.Deletion;

/// <summary>One deletion command as the service carries it out: what it targets, why, and the registry call that deletes it.</summary>
internal abstract class DeletionRequest(DeletionTarget target, string? reason, JournalAction action)
{
    public DeletionTarget Target => target;
    public string? Reason => reason;
    public JournalAction Action => action;

    /// <param name="noteDigest">Where the registry says what it is about to delete, before it changes anything; false stops it.</param>
    public abstract Task<DeletionResult> DeleteAsync(IRegistryClient registry, Func<string, string?, Task<bool>> noteDigest, OperationAttempts attempts, CancellationToken ct);
}

internal sealed class TagDeletion(DeleteTag command, string? publisher)
    : DeletionRequest(DeletionTarget.Of(command, publisher), command.Reason, JournalAction.DeleteTag)
{
    /// <summary>The validator refuses <see cref="DeleteTag.OnlyIfDigest"/> for a registry that cannot check it.</summary>
    public override Task<DeletionResult> DeleteAsync(IRegistryClient registry, Func<string, string?, Task<bool>> noteDigest, OperationAttempts attempts, CancellationToken ct) =>
        registry is IReadingTagDelete reading
            ? reading.DeleteTagAsync(command.Repository, command.Tag, command.OnlyIfDigest, noteDigest, attempts, ct)
            : registry.DeleteTagAsync(command.Repository, command.Tag, attempts, ct);
}

internal sealed class RepositoryDeletion(DeleteRepository command, string? publisher, DeletionRules rules)
    : DeletionRequest(DeletionTarget.Of(command, publisher), command.Reason, JournalAction.DeleteRepository)
{
    public override async Task<DeletionResult> DeleteAsync(IRegistryClient registry, Func<string, string?, Task<bool>> noteDigest, OperationAttempts attempts, CancellationToken ct)
    {
        await RefuseIfProtectedAsync(registry, attempts, ct);
        return await registry.DeleteRepositoryAsync(command.Repository, command.DeleteTagsFirst, attempts, ct);
    }

    /// <summary>
    /// Deleting a repository deletes every tag in it, so where tags are protected the repository is listed first, and one
    /// protected tag refuses the whole deletion. A repository that does not exist holds nothing to protect.
    /// </summary>
    private async Task RefuseIfProtectedAsync(IRegistryClient registry, OperationAttempts attempts, CancellationToken ct)
    {
        var registryRules = rules.For(registry.Name);
        if (!registryRules.HasProtectedTags)
            return;
        var tags = await registry.ListTagsAsync(command.Repository, attempts, ct);
        if (tags is not null && registryRules.ProtectedTagsIn(command.Repository, tags.Select(t => t.Name)) is { } detail)
            throw new RegistryFailureException(FailureKind.Forbidden, null, detail);
    }
}
