namespace RegistryCleaner.Contracts;

/// <summary>Delete exactly one tag. Other tags that share its digest are left alone.</summary>
public record DeleteTag
{
    public Guid RequestId { get; init; }

    /// <summary>A registry name from the worker's configuration, never a URL.</summary>
    public string Registry { get; init; } = "";

    public string Repository { get; init; } = "";
    public string Tag { get; init; } = "";
    public string? Reason { get; init; }

    /// <summary>Free text for people; never used for an authorization decision.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>Set when a retention run condemned the tag.</summary>
    public Guid? RunId { get; init; }

    public string? Policy { get; init; }

    /// <summary>
    /// A precondition, set by retention for a referrer (signature, attestation, SBOM) removed with its image: the
    /// image's digest. The tag is deleted only when no tag of the repository points at that digest any more; while
    /// one does (the image's delete failed, or it was tagged again), the tag is kept and the command fails
    /// <see cref="FailureKind.Forbidden"/>.
    /// </summary>
    public string? OnlyIfUntagged { get; init; }

    /// <summary>
    /// A precondition, set by retention on OCI registries: the digest the tag pointed at when it was condemned. The tag is
    /// deleted only while it still points there; a tag pushed again since is kept and the command fails
    /// <see cref="FailureKind.Forbidden"/>. Refused on registries whose delete cannot check it (SWR, IMS, NCR).
    /// </summary>
    public string? OnlyIfDigest { get; init; }
}
