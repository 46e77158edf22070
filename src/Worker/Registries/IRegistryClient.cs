namespace RegistryCleaner.Worker.Registries;

/// <summary>
/// Deletes from one configured registry. Implementations answer success with a <see cref="DeletionResult"/>
/// and every final failure with a <see cref="RegistryFailureException"/>.
/// </summary>
public interface IRegistryClient
{
    string Name { get; }
    RegistryKind Kind { get; }

    /// <summary>Why this repository name can not be sent to this registry, or null when it can.</summary>
    string? ValidateRepository(string repository);

    /// <summary>Why this tag can not be sent to this registry, or null when it can.</summary>
    string? ValidateTag(string tag);

    Task<DeletionResult> DeleteTagAsync(string repository, string tag, OperationAttempts attempts, CancellationToken ct);

    Task<DeletionResult> DeleteRepositoryAsync(string repository, bool deleteTagsFirst, OperationAttempts attempts, CancellationToken ct);

    /// <summary>Every repository the registry lists, page by page. Throws NotSupported where the registry has no listing.</summary>
    IAsyncEnumerable<string> ListRepositoriesAsync(OperationAttempts attempts, CancellationToken ct);

    /// <summary>Every tag of one repository with its digest and creation time where the registry tells them; null when the repository does not exist.</summary>
    Task<IReadOnlyList<RegistryTag>?> ListTagsAsync(string repository, OperationAttempts attempts, CancellationToken ct);
}
