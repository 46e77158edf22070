namespace RegistryCleaner.Contracts;

/// <summary>A referrer (a cosign <c>sha256-&lt;hex&gt;.sig|.att|.sbom</c> tag, or a tagged manifest with an OCI 1.1 <c>subject</c>) removed with its subject.</summary>
public record CondemnedReferrer
{
    public string Tag { get; init; } = "";

    /// <summary>The referrer's own manifest digest, where the registry says.</summary>
    public string? Digest { get; init; }

    /// <summary>The digest of the image it refers to.</summary>
    public string Subject { get; init; } = "";
}
