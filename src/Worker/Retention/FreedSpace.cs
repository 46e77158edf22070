using RegistryCleaner.Worker.Registries;

namespace RegistryCleaner.Worker.Retention;

/// <summary>
/// Estimates the bytes a plan frees once the registry collects its garbage: the config and layer blobs of the removed
/// manifests (through an index, its platform manifests) that no kept manifest of the repository uses. Each manifest
/// is read at most once (up to <see cref="MaxCached"/> manifests per repository, so memory stays bounded; beyond, a
/// manifest may be read again); kept manifests are read only while some removed blob is still unclaimed.
/// </summary>
public sealed class FreedSpace(IImageContents contents, string repository, OperationAttempts attempts, CancellationToken ct)
{
    public const int MaxCached = 10_000;
    private const int MaxDepth = 3;
    private readonly Dictionary<string, ManifestParts?> _parts = new(StringComparer.Ordinal);

    /// <summary>
    /// Null when a manifest could not be read (unknown, unreadable, or the registry failed): an estimate that might count
    /// a shared layer is no estimate, and an estimate is never worth failing a run for.
    /// </summary>
    public async Task<long?> EstimateAsync(IEnumerable<string> removed, IEnumerable<string> kept)
    {
        try
        {
            return await SumAsync(removed, kept);
        }
        catch (RegistryFailureException)
        {
            return null;
        }
    }

    private async Task<long?> SumAsync(IEnumerable<string> removed, IEnumerable<string> kept)
    {
        var freed = new Dictionary<string, long>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var digest in removed)
        {
            if (!await VisitAsync(digest, 0, seen, blob => freed[blob.Digest] = blob.Size))
                return null;
        }
        seen.Clear();
        foreach (var digest in kept)
        {
            if (freed.Count == 0)
                break;
            if (!await VisitAsync(digest, 0, seen, blob => freed.Remove(blob.Digest)))
                return null;
        }
        return freed.Values.Sum();
    }

    private async Task<bool> VisitAsync(string digest, int depth, HashSet<string> seen, Action<BlobRef> onBlob)
    {
        if (!seen.Add(digest))
            return true;
        if (!_parts.TryGetValue(digest, out var parts))
        {
            parts = await contents.ManifestPartsAsync(repository, digest, attempts, ct);
            if (_parts.Count < MaxCached)
                _parts[digest] = parts;
        }
        if (parts is null || depth > MaxDepth)
            return false;
        foreach (var blob in parts.Blobs)
            onBlob(blob);
        foreach (var child in parts.Manifests)
        {
            if (!await VisitAsync(child, depth + 1, seen, onBlob))
                return false;
        }
        return true;
    }
}
