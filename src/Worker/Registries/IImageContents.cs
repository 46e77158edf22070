namespace RegistryCleaner.Worker.Registries;

/// <summary>
/// What a registry's manifests are made of, for estimating the space a retention run frees and, later, for finding
/// what to reclaim with a removed digest. Implemented by registries that serve manifests (OCI).
/// </summary>
public interface IImageContents
{
    /// <summary>The blobs (config and layers) a manifest names, and the manifests an index names; null when the manifest is unknown or unreadable.</summary>
    Task<ManifestParts?> ManifestPartsAsync(string repository, string digest, OperationAttempts attempts, CancellationToken ct);
}

public readonly record struct BlobRef(string Digest, long Size);

public sealed record ManifestParts(IReadOnlyList<BlobRef> Blobs, IReadOnlyList<string> Manifests);
