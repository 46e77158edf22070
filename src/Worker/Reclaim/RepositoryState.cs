using RegistryCleaner.Worker.Registries;
using RegistryCleaner.Worker.Registries.Oci;

namespace RegistryCleaner.Worker.Reclaim;

/// <summary>
/// A repository as a reclaim finds it: every tag with its digest, the manifests that stay (tagged, or listed by a tagged
/// index), and the blobs those use. cosign tags attached to a digest about to be reclaimed do not keep anything.
/// </summary>
public sealed class RepositoryState
{
    private RepositoryState(Dictionary<string, string> tags, HashSet<string> kept, HashSet<string> keptBlobs)
    {
        Tags = tags;
        Kept = kept;
        KeptBlobs = keptBlobs;
    }

    /// <summary>Tag → digest, for every tag that resolved.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; }

    /// <summary>Digests that something still needs: a tag, or a tagged index that lists them.</summary>
    public HashSet<string> Kept { get; }

    /// <summary>Config and layer digests of the kept manifests: never counted as freed.</summary>
    public HashSet<string> KeptBlobs { get; }

    /// <summary>The cosign tags (signature, attestation, SBOM) attached to <paramref name="digest"/>.</summary>
    public IEnumerable<KeyValuePair<string, string>> CosignTagsOf(string digest) => Tags.Where(t => CosignTags.SubjectOf(t.Key) == digest);

    public static async Task<RepositoryState> ReadAsync(OciManifests registry, string repository, IReadOnlySet<string> candidates, OperationAttempts attempts, CancellationToken ct)
    {
        var names = await registry.TagsAsync(repository, attempts, ct) ?? [];
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (tag, token) =>
        {
            if (await registry.ResolveAsync(repository, tag, attempts, token) is { } digest)
            {
                lock (tags)
                    tags[tag] = digest;
            }
        });

        var kept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (tag, digest) in tags)
        {
            // A signature of an image about to go does not keep itself: it goes with the image.
            if (CosignTags.SubjectOf(tag) is { } subject && candidates.Contains(subject) && !tags.Values.Contains(subject))
                continue;
            kept.Add(digest);
        }
        var keptBlobs = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<string>(kept);
        while (pending.TryDequeue(out var digest))
        {
            var manifest = await registry.GetAsync(repository, digest, attempts, ct);
            if (manifest is null)
                continue;
            foreach (var (blob, _) in manifest.Blobs())
                keptBlobs.Add(blob);
            foreach (var child in manifest.Manifests())
            {
                if (kept.Add(child))
                    pending.Enqueue(child);
            }
        }
        return new RepositoryState(tags, kept, keptBlobs);
    }
}
