namespace RegistryCleaner.Worker.Registries;

/// <summary>A registry whose tag delete reads what the tag points at first, so it can keep a tag that moved.</summary>
public interface IConditionalTagDelete
{
    /// <summary>
    /// Deletes the tag only while it points at <paramref name="digest"/>; a tag that points elsewhere (pushed again since
    /// the caller saw it) is kept with a <see cref="Contracts.FailureKind.Forbidden"/> failure.
    /// </summary>
    Task<DeletionResult> DeleteTagIfAtAsync(string repository, string tag, string digest, OperationAttempts attempts, CancellationToken ct);
}
