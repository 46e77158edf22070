namespace RegistryCleaner.Contracts;

/// <summary>The outcome of every retention run, including one that deletes nothing.</summary>
public record RetentionRunCompleted
{
    public Guid RunId { get; init; }
    public string Policy { get; init; } = "";
    public string Registry { get; init; } = "";
    public RetentionRunStatus Status { get; init; }
    public bool DryRun { get; init; }

    /// <summary>Why a run was aborted or failed, in words a person can act on.</summary>
    public string? Reason { get; init; }

    public IReadOnlyList<RepositoryPlan> Repositories { get; init; } = [];
    public int TagsScanned { get; init; }
    public int TagsToDelete { get; init; }

    /// <summary>DeleteTag commands sent; their result events carry this RunId.</summary>
    public int DeletionsSent { get; init; }

    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset CompletedAt { get; init; }
}
