namespace RegistryCleaner.Contracts;

/// <summary>
/// Put a deleted tag back at the digest the journal recorded for it. Never overwrites: a tag that exists now is refused.
/// </summary>
public record RestoreTag
{
    public Guid RequestId { get; init; }

    /// <summary>A registry name from the worker's configuration, never a URL.</summary>
    public string Registry { get; init; } = "";

    public string Repository { get; init; } = "";
    public string Tag { get; init; } = "";

    /// <summary>The RequestId of the deletion to undo; without it, the tag's latest deletion.</summary>
    public Guid? DeletionRequestId { get; init; }

    /// <summary>Check everything and report; put nothing back.</summary>
    public bool DryRun { get; init; }

    public string? Reason { get; init; }

    /// <summary>Free text for people; never used for an authorization decision.</summary>
    public string? RequestedBy { get; init; }
}
