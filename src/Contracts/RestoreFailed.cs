namespace RegistryCleaner.Contracts;

public record RestoreFailed
{
    public Guid RequestId { get; init; }
    public string Registry { get; init; } = "";
    public string Repository { get; init; } = "";
    public string Tag { get; init; } = "";
    public RestoreFailure Failure { get; init; }

    /// <summary>Why, in words a person can act on (for a reclaimed manifest: when it was reclaimed).</summary>
    public string Detail { get; init; } = "";

    /// <summary>The digest the journal recorded, when one was found.</summary>
    public string? Digest { get; init; }

    public int? LastStatus { get; init; }
    public bool DryRun { get; init; }
    public DateTimeOffset FailedAt { get; init; }
    public string? RequestedBy { get; init; }
    public string? VerifiedPublisher { get; init; }
}
