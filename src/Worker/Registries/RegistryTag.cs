namespace RegistryCleaner.Worker.Registries;

/// <summary>A tag as a registry lists it. <see cref="Created"/> is null when its age cannot be established.</summary>
public sealed record RegistryTag(string Name, string? Digest, DateTimeOffset? Created)
{
    /// <summary>The digest this tag's manifest refers to through an OCI 1.1 <c>subject</c> field: the tag is a referrer.</summary>
    public string? Subject { get; init; }

    /// <summary>For a referrer whose subject no tag holds: whether the registry still stores the subject manifest (untagged).</summary>
    public SubjectPresence SubjectPresence { get; init; }
}

/// <summary>What a listing knows of an untagged referrer subject. Only a registry that was asked and said "unknown" makes it absent.</summary>
public enum SubjectPresence
{
    /// <summary>Not asked, or the registry cannot tell: never an orphan.</summary>
    Unknown,
    Present,

    /// <summary>The registry answered that it does not store the subject (OCI: 404 to a HEAD of the digest).</summary>
    Absent,
}
