namespace RegistryCleaner.Worker.Registries;

/// <summary>A registry whose tag delete reads what the tag points at first: it can keep a tag that moved, and say what it read.</summary>
public interface IReadingTagDelete
{
    /// <param name="onlyIfDigest">Delete only while the tag points there; one that points elsewhere (pushed again since the
    /// caller saw it) is kept with a <see cref="Contracts.FailureKind.Forbidden"/> failure.</param>
    /// <param name="beforeDelete">Told the digest and media type read, before anything in the registry changes; false keeps the
    /// tag with an <see cref="Contracts.FailureKind.Internal"/> failure.</param>
    Task<DeletionResult> DeleteTagAsync(string repository, string tag, string? onlyIfDigest, Func<string, string?, Task<bool>>? beforeDelete,
        OperationAttempts attempts, CancellationToken ct);
}
