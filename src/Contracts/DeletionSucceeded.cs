namespace RegistryCleaner.Contracts;

public record DeletionSucceeded
{
    public Guid RequestId { get; init; }
    public string Registry { get; init; } = "";
    public string Repository { get; init; } = "";

    /// <summary>Null when a whole repository was deleted.</summary>
    public string? Tag { get; init; }

    public DeletionOutcome Outcome { get; init; }

    /// <summary>Attempts made: 1 plus every retry of a registry request during the operation.</summary>
    public int Attempts { get; init; }

    /// <summary>For a repository deletion: how many tags were deleted with it.</summary>
    public int? TagsDeleted { get; init; }

    /// <summary>
    /// For a deleted tag: the digest it pointed at (<c>sha256:…</c>), where the registry told it (every OCI path does); the
    /// image itself stays in the registry, restorable, until reclaim deletes it. Null for a repository and for AlreadyAbsent.
    /// </summary>
    public string? Digest { get; init; }

    public TimeSpan Elapsed { get; init; }
    public DateTimeOffset CompletedAt { get; init; }

    /// <summary>Free text from the command, for people; never used for an authorization decision.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>The broker user that published the command, as RabbitMQ verified it (the AMQP user_id property); null when the command carried none.</summary>
    public string? VerifiedPublisher { get; init; }

    public Guid? RunId { get; init; }
    public string? Policy { get; init; }
}
