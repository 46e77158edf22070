namespace RegistryCleaner.Worker.Registries;

/// <summary>A tag as a registry lists it. <see cref="Created"/> is null when its age cannot be established.</summary>
public sealed record RegistryTag(string Name, string? Digest, DateTimeOffset? Created)
{
    /// <summary>The digest this tag's manifest refers to through an OCI 1.1 <c>subject</c> field: the tag is a referrer.</summary>
    public string? Subject { get; init; }

    /// <summary>For a referrer whose subject no tag holds: the registry still stores the subject manifest (untagged).</summary>
    public bool SubjectStored { get; init; }
}
