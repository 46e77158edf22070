namespace RegistryCleaner.Contracts;

/// <summary>A manifest deleted by a reclaim run (or, in a dry run, one that would be).</summary>
public record DigestReclaimed
{
    public Guid RunId { get; init; }
    public string Registry { get; init; } = "";
    public string Repository { get; init; } = "";
    public string Digest { get; init; } = "";
    public string? MediaType { get; init; }

    /// <summary>The tags it had when it was deleted (from the journal).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Referrers deleted with it (signatures, attestations, SBOMs) and platform manifests of an index.</summary>
    public IReadOnlyList<string> AlsoDeleted { get; init; } = [];

    /// <summary>Config and layers of the manifest (and what went with it) that no kept manifest of the repository uses.</summary>
    public long BytesFreed { get; init; }

    public bool DryRun { get; init; }
    public DateTimeOffset ReclaimedAt { get; init; }
}
