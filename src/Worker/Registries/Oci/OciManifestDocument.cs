using System.Globalization;
using System.Text.Json;

namespace RegistryCleaner.Worker.Registries.Oci;

/// <summary>What retention reads from a manifest or an index: dating, referrer subject, and the parts it is made of.</summary>
public sealed record OciManifestDocument(
    bool IsIndex, string? ConfigDigest, DateTimeOffset? Annotated, string? Subject,
    IReadOnlyList<BlobRef> Blobs, IReadOnlyList<string> Manifests, IReadOnlyList<string> Platforms)
{
    private const string CreatedAnnotation = "org.opencontainers.image.created";

    /// <summary>
    /// Reproducible builds stamp a fixed date (1970-01-01 from SOURCE_DATE_EPOCH=0, 0001-01-01 from a zero time) that
    /// says nothing about when the image was made: any date before this one is taken as no date at all.
    /// </summary>
    public static readonly DateTimeOffset EarliestMeaningfulDate = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Reads a manifest; throws <see cref="JsonException"/> when it is not one.</summary>
    public static OciManifestDocument Parse(byte[] content)
    {
        using var doc = JsonDocument.Parse(content);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new JsonException("A manifest is a JSON object.");
        var annotated = root.TryGetProperty("annotations", out var annotations) ? CreatedOf(annotations) : null;
        var subject = root.TryGetProperty("subject", out var subjectDescriptor) ? DigestOf(subjectDescriptor) : null;
        var blobs = new List<BlobRef>();
        var manifests = new List<string>();
        var platforms = new List<string>();
        if (root.TryGetProperty("manifests", out var children) && children.ValueKind == JsonValueKind.Array)
        {
            foreach (var child in children.EnumerateArray())
            {
                if (DigestOf(child) is not { } digest)
                    continue;
                manifests.Add(digest);
                if (!IsAttestation(child))
                    platforms.Add(digest);
            }
            return new OciManifestDocument(true, null, annotated, subject, blobs, manifests, platforms);
        }
        string? config = null;
        if (root.TryGetProperty("config", out var configDescriptor) && DigestOf(configDescriptor) is { } configDigest)
        {
            config = configDigest;
            blobs.Add(new BlobRef(configDigest, SizeOf(configDescriptor)));
        }
        if (root.TryGetProperty("layers", out var layers) && layers.ValueKind == JsonValueKind.Array)
        {
            foreach (var layer in layers.EnumerateArray())
            {
                if (DigestOf(layer) is { } digest)
                    blobs.Add(new BlobRef(digest, SizeOf(layer)));
            }
        }
        return new OciManifestDocument(false, config, annotated, subject, blobs, manifests, platforms);
    }

    /// <summary>An image config's <c>created</c>; null when absent or unreadable.</summary>
    public static DateTimeOffset? ReadConfigCreated(byte[] config)
    {
        using var doc = JsonDocument.Parse(config);
        return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("created", out var created) ? Date(created) : null;
    }

    /// <summary>buildx puts provenance and SBOM manifests (platform unknown/unknown) beside the platforms of an index: they are no image.</summary>
    private static bool IsAttestation(JsonElement descriptor) =>
        (descriptor.TryGetProperty("annotations", out var annotations) && annotations.ValueKind == JsonValueKind.Object
            && annotations.TryGetProperty("vnd.docker.reference.type", out _))
        || (descriptor.TryGetProperty("platform", out var platform) && platform.ValueKind == JsonValueKind.Object
            && platform.TryGetProperty("os", out var os) && os.ValueKind == JsonValueKind.String && os.GetString() == "unknown");

    private static DateTimeOffset? CreatedOf(JsonElement annotations) =>
        annotations.ValueKind == JsonValueKind.Object && annotations.TryGetProperty(CreatedAnnotation, out var created) ? Date(created) : null;

    private static DateTimeOffset? Date(JsonElement value) =>
        value.ValueKind == JsonValueKind.String
        && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
        && parsed >= EarliestMeaningfulDate ? parsed : null;

    private static string? DigestOf(JsonElement descriptor) =>
        descriptor.ValueKind == JsonValueKind.Object && descriptor.TryGetProperty("digest", out var digest) && digest.ValueKind == JsonValueKind.String
            ? digest.GetString() : null;

    private static long SizeOf(JsonElement descriptor) =>
        descriptor.TryGetProperty("size", out var size) && size.ValueKind == JsonValueKind.Number && size.TryGetInt64(out var bytes) && bytes > 0 ? bytes : 0;
}
