namespace RegistryCleaner.Contracts;

public record TagRestored
{
    public Guid RequestId { get; init; }
    public string Registry { get; init; } = "";
    public string Repository { get; init; } = "";
    public string Tag { get; init; } = "";
    public string Digest { get; init; } = "";

    /// <summary>The deletion that was undone.</summary>
    public Guid DeletionRequestId { get; init; }

    /// <summary>True when nothing was written: the tag could be restored.</summary>
    public bool DryRun { get; init; }

    public int Attempts { get; init; }
    public DateTimeOffset CompletedAt { get; init; }
    public string? RequestedBy { get; init; }
    public string? VerifiedPublisher { get; init; }
}
