namespace RegistryCleaner.Contracts;

/// <summary>What a retention run decided for one repository.</summary>
public record RepositoryPlan
{
    public string Repository { get; init; } = "";
    public int Scanned { get; init; }
    public int Kept { get; init; }
    public int Protected { get; init; }

    /// <summary>Tags whose age could not be established: never deleted by retention.</summary>
    public int Undated { get; init; }

    /// <summary>Tags to delete: the condemned, the referrers removed with them, and orphaned referrers when the policy removes them.</summary>
    public int ToDelete { get; init; }

    /// <summary>Newest first (equal times by name); orphaned referrers the policy removes come last. May be cut short in a large run (see <see cref="RetentionRunCompleted.CondemnedNotListed"/>).</summary>
    public IReadOnlyList<CondemnedTag> Condemned { get; init; } = [];

    /// <summary>Referrer tags (signatures, attestations, SBOMs): they follow their subject and take no part in the rules.</summary>
    public int Referrers { get; init; }

    /// <summary>Referrer tags whose subject is not in the repository. Removed only with <c>DeleteOrphanedReferrers</c>.</summary>
    public IReadOnlyList<string> OrphanedReferrers { get; init; } = [];

    /// <summary>Condemned tags whose image a kept tag still holds: only the tag goes.</summary>
    public int UntagOnly { get; init; }

    /// <summary>Images (manifest digests) whose every tag is condemned.</summary>
    public int ImagesRemoved { get; init; }

    /// <summary>
    /// Layer and config bytes of the removed images (and their referrers) that no kept manifest of the repository
    /// uses: what the registry's garbage collection can free after the run. 0 when only tags go; null when it could
    /// not be read (a registry that does not serve manifests, or one that could not be read).
    /// </summary>
    public long? EstimatedBytesFreed { get; init; }
}
