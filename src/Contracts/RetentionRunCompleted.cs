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

    /// <summary>Across repositories: condemned tags whose image stays, images removed, and bytes freed after garbage collection (null when any repository could not be estimated).</summary>
    public int UntagOnly { get; init; }
    public int ImagesRemoved { get; init; }
    public long? EstimatedBytesFreed { get; init; }

    /// <summary>Condemned tags left out of <see cref="RepositoryPlan.Condemned"/> so the event stays small; they are counted and deleted all the same.</summary>
    public int CondemnedNotListed { get; init; }

    /// <summary>Orphaned referrers left out of <see cref="RepositoryPlan.OrphanedReferrers"/> (they share the 10,000 places with the condemned tags).</summary>
    public int OrphanedNotListed { get; init; }

    /// <summary>Policy patterns that matched nothing in this run: a warning, since a pattern that never matches is usually a mistake.</summary>
    public IReadOnlyList<UnmatchedPattern> UnmatchedPatterns { get; init; } = [];

    /// <summary>DeleteTag commands sent; their result events carry this RunId.</summary>
    public int DeletionsSent { get; init; }

    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset CompletedAt { get; init; }
}
