namespace RegistryCleaner.Worker.Registries;

/// <summary>A tag as a registry lists it. <see cref="Created"/> is null when its age cannot be established.</summary>
public sealed record RegistryTag(string Name, string? Digest, DateTimeOffset? Created);
