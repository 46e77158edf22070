namespace RegistryCleaner.Contracts;

/// <summary>A tag a retention run deletes, and the rule that condemned it.</summary>
public record CondemnedTag
{
    public string Tag { get; init; } = "";
    public DateTimeOffset? Created { get; init; }
    public string Rule { get; init; } = "";

    /// <summary>The manifest digest the tag pointed at when listed; null where the registry does not say.</summary>
    public string? Digest { get; init; }

    /// <summary>A kept tag still holds <see cref="Digest"/>: only the tag goes, the image stays.</summary>
    public bool UntagOnly { get; init; }

    /// <summary>Signatures, attestations and SBOMs of this tag's image, untagged with it: it was the image's last tag.</summary>
    public IReadOnlyList<CondemnedReferrer> Referrers { get; init; } = [];
}
