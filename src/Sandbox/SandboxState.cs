namespace RegistryCleaner.Sandbox;

/// <summary>Inspect and change the contents of the emulated registries (thread-safe).</summary>
public sealed class SandboxState
{
    private readonly Dictionary<string, RegistryStore> _stores;

    internal SandboxState(IEnumerable<RegistryStore> stores) =>
        _stores = stores.ToDictionary(s => s.Name, StringComparer.Ordinal);

    public IReadOnlyCollection<string> RegistryNames => _stores.Keys;

    internal RegistryStore Store(string registry) =>
        _stores.TryGetValue(registry, out var store)
            ? store
            : throw new ArgumentException($"The sandbox has no registry named '{registry}'.", nameof(registry));

    public IReadOnlyList<string> Repositories(string registry)
    {
        var store = Store(registry);
        lock (store.Gate) return Sorted(store.Repositories.Keys);
    }

    public bool RepositoryExists(string registry, string repository)
    {
        var store = Store(registry);
        lock (store.Gate) return store.Repositories.ContainsKey(repository);
    }

    public IReadOnlyList<string> Tags(string registry, string repository)
    {
        var store = Store(registry);
        lock (store.Gate)
            return store.Repositories.TryGetValue(repository, out var repo) ? Sorted(repo.Tags.Keys) : [];
    }

    public string? DigestOf(string registry, string repository, string tag) => TagInfo(registry, repository, tag)?.Digest;

    /// <summary>The tag as stored (digest filled in), or null.</summary>
    public SeedTag? TagInfo(string registry, string repository, string tag)
    {
        var store = Store(registry);
        lock (store.Gate)
            return store.Repositories.TryGetValue(repository, out var repo) && repo.Tags.TryGetValue(tag, out var record)
                ? record.ToSeed()
                : null;
    }

    public void AddTag(string registry, string repository, SeedTag tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        var store = Store(registry);
        lock (store.Gate) store.AddTag(store.GetOrCreate(repository), tag);
    }

    public bool RemoveTag(string registry, string repository, string tag) => Store(registry).RemoveTag(repository, tag) == true;

    public void AddRepository(string registry, string repository)
    {
        var store = Store(registry);
        lock (store.Gate) store.GetOrCreate(repository);
    }

    public bool RemoveRepository(string registry, string repository)
    {
        var store = Store(registry);
        lock (store.Gate) return store.Repositories.Remove(repository);
    }

    /// <summary>OCI: whether the manifest with that digest is still stored in the repository.</summary>
    public bool ManifestExists(string registry, string repository, string digest)
    {
        var store = Store(registry);
        lock (store.Gate)
            return store.Repositories.TryGetValue(repository, out var repo) && repo.Manifests.ContainsKey(digest);
    }

    /// <summary>OCI: whether the blob with that digest is stored in the repository.</summary>
    public bool BlobExists(string registry, string repository, string digest)
    {
        var store = Store(registry);
        lock (store.Gate)
            return store.Repositories.TryGetValue(repository, out var repo) && repo.Blobs.ContainsKey(digest);
    }

    public int TagCount(string registry)
    {
        var store = Store(registry);
        lock (store.Gate) return store.Repositories.Values.Sum(r => r.Tags.Count);
    }

    public void SetDeleteEnabled(string registry, bool enabled) => Store(registry).DeleteEnabled = enabled;

    public void SetTagDeleteSupported(string registry, bool supported) => Store(registry).TagDeleteSupported = supported;

    private static string[] Sorted(IEnumerable<string> names)
    {
        var array = names.ToArray();
        Array.Sort(array, StringComparer.Ordinal);
        return array;
    }
}
