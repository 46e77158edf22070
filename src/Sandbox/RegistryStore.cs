using System.Collections.Concurrent;

namespace RegistryCleaner.Sandbox;

internal sealed class TagRecord
{
    public required string Name { get; init; }
    public required string Digest { get; set; }
    public string? Image { get; init; }
    public string? Value { get; init; }
    public required DateTimeOffset Created { get; init; }
    public required DateTimeOffset Updated { get; set; }
    public required long Size { get; init; }
    public required int Id { get; init; }

    public SeedTag ToSeed() => new()
    {
        Name = Name, Digest = Digest, Image = Image, Value = Value, Created = Created, Updated = Updated, Size = Size,
    };
}

internal sealed record StoredManifest(byte[] Bytes, string MediaType);

internal sealed class RepositoryRecord(string name, int id, DateTimeOffset created)
{
    public string Name { get; } = name;
    public int Id { get; } = id;
    public DateTimeOffset Created { get; } = created;
    public Dictionary<string, TagRecord> Tags { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, StoredManifest> Manifests { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, byte[]> Blobs { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> ImageDigests { get; } = new(StringComparer.Ordinal);
}

internal sealed class UploadSession(string repository)
{
    public string Repository { get; } = repository;
    public MemoryStream Data { get; } = new();
}

/// <summary>The contents of one emulated registry. Every access to <see cref="Repositories"/> holds <see cref="Gate"/>.</summary>
internal sealed class RegistryStore
{
    private int _nextId = 1000;

    public RegistryStore(SeedRegistry config)
    {
        Config = config;
        DeleteEnabled = config.DeleteEnabled;
        TagDeleteSupported = config.TagDeleteSupported;
        foreach (var repository in config.Repositories ?? [])
        {
            var record = GetOrCreate(repository.Name);
            foreach (var tag in repository.Tags ?? []) AddTag(record, tag);
        }
    }

    public SeedRegistry Config { get; }
    public string Name => Config.Name;
    public RegistryKind Kind => Config.Kind;
    public Lock Gate { get; } = new();
    public Dictionary<string, RepositoryRecord> Repositories { get; } = new(StringComparer.Ordinal);
    public ConcurrentDictionary<string, UploadSession> Uploads { get; } = new(StringComparer.Ordinal);
    public volatile bool DeleteEnabled;
    public volatile bool TagDeleteSupported;

    public RepositoryRecord GetOrCreate(string repository)
    {
        if (!Repositories.TryGetValue(repository, out var record))
        {
            record = new RepositoryRecord(repository, NextId(), DateTimeOffset.UtcNow);
            Repositories.Add(repository, record);
        }
        return record;
    }

    public int NextId() => ++_nextId;

    /// <summary>Removes a tag: null when the repository does not exist, otherwise whether the tag did.</summary>
    public bool? RemoveTag(string repository, string tag)
    {
        lock (Gate)
            return Repositories.TryGetValue(repository, out var repo) ? repo.Tags.Remove(tag) : null;
    }

    public void AddTag(RepositoryRecord repository, SeedTag tag)
    {
        var created = tag.Created ?? DateTimeOffset.UtcNow;
        var digest = Kind == RegistryKind.Oci ? EnsureOciImage(repository, tag) : tag.Digest ?? GeneratedDigest(repository, tag);
        repository.Tags[tag.Name] = new TagRecord
        {
            Name = tag.Name,
            Digest = digest,
            Image = tag.Image,
            Value = tag.Value,
            Created = created,
            Updated = tag.Updated ?? created,
            Size = tag.Size ?? 1_000_000 + (digest.GetHashCode(StringComparison.Ordinal) & 0xFFFFF),
            Id = NextId(),
        };
    }

    /// <summary>Points a tag at a digest as a push does: the tag counts as created now.</summary>
    public void SetTag(RepositoryRecord repository, string tag, string digest, long size)
    {
        var now = DateTimeOffset.UtcNow;
        repository.Tags[tag] = new TagRecord { Name = tag, Digest = digest, Created = now, Updated = now, Size = size, Id = NextId() };
    }

    private string GeneratedDigest(RepositoryRecord repository, SeedTag tag) =>
        Digests.Sha256(tag.Image is null ? $"{Name}/{repository.Name}:{tag.Name}" : $"{Name}/{repository.Name}@{tag.Image}");

    private static string EnsureOciImage(RepositoryRecord repository, SeedTag tag)
    {
        var label = tag.Image ?? "tag:" + tag.Name;
        if (repository.ImageDigests.TryGetValue(label, out var known) && repository.Manifests.ContainsKey(known))
            return known;
        var image = OciContent.Generate(label, tag.Created);
        repository.Blobs[image.ConfigDigest] = image.Config;
        repository.Blobs[OciContent.LayerDigest] = OciContent.Layer;
        repository.Manifests[image.ManifestDigest] = new StoredManifest(image.Manifest, OciContent.ManifestMediaType);
        repository.ImageDigests[label] = image.ManifestDigest;
        return image.ManifestDigest;
    }
}
