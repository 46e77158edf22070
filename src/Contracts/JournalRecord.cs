namespace RegistryCleaner.Contracts;

/// <summary>One entry of the deletion journal: a removal, a restore or a reclaim, with who asked and why.</summary>
public record JournalRecord
{
    /// <summary>The entry's place in the journal: increasing, used to page through it.</summary>
    public long Sequence { get; init; }

    public Guid Id { get; init; }
    public JournalAction Action { get; init; }
    public JournalOutcome Outcome { get; init; }
    public string Registry { get; init; } = "";
    public string Repository { get; init; } = "";

    /// <summary>Null for a repository deletion and for a reclaimed digest.</summary>
    public string? Tag { get; init; }

    /// <summary>The digest the tag pointed at (for a reclaim, the digest reclaimed), where the registry tells it.</summary>
    public string? Digest { get; init; }

    public string? MediaType { get; init; }
    public Guid RequestId { get; init; }
    public Guid? RunId { get; init; }
    public string? Policy { get; init; }
    public string? VerifiedPublisher { get; init; }
    public string? RequestedBy { get; init; }
    public string? Reason { get; init; }

    /// <summary>Why it failed or was kept, in words.</summary>
    public string? Detail { get; init; }

    /// <summary>For a reclaim: the bytes of config and layers that no kept manifest of the repository uses.</summary>
    public long? BytesFreed { get; init; }

    public DateTimeOffset RecordedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
}
