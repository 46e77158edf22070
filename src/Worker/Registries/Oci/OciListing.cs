using System.Text.Json;
using RegistryCleaner.Worker.Registries.Http;

namespace RegistryCleaner.Worker.Registries.Oci;

/// <summary>Reads what retention needs from an OCI registry: the catalog, and each tag's creation time.</summary>
public static class OciListing
{
    private const int MaxDocument = 4 * 1024 * 1024;

    public static async Task<IReadOnlyList<string>> ReadRepositoriesAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await ResponseBody.ReadLimitedAsync(response, 16 * 1024 * 1024, ct);
        using var doc = JsonDocument.Parse(body);
        if (!doc.RootElement.TryGetProperty("repositories", out var repositories) || repositories.ValueKind != JsonValueKind.Array)
            return [];
        return repositories.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!).ToList();
    }

    /// <summary>
    /// The image's creation time: the manifest's <c>org.opencontainers.image.created</c> annotation, else the
    /// config's <c>created</c>. Null (undated) for an index, or when neither is present or parseable.
    /// </summary>
    public static (string? ConfigDigest, DateTimeOffset? Annotated) ReadManifest(byte[] manifest)
    {
        using var doc = JsonDocument.Parse(manifest);
        var root = doc.RootElement;
        DateTimeOffset? annotated = null;
        if (root.TryGetProperty("annotations", out var annotations) && annotations.ValueKind == JsonValueKind.Object
            && annotations.TryGetProperty("org.opencontainers.image.created", out var created) && created.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(created.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed))
            annotated = parsed;
        string? config = null;
        if (root.TryGetProperty("config", out var descriptor) && descriptor.ValueKind == JsonValueKind.Object
            && descriptor.TryGetProperty("digest", out var digest) && digest.ValueKind == JsonValueKind.String)
            config = digest.GetString();
        return (config, annotated);
    }

    public static DateTimeOffset? ReadConfigCreated(byte[] config)
    {
        using var doc = JsonDocument.Parse(config);
        return doc.RootElement.ValueKind == JsonValueKind.Object
            && doc.RootElement.TryGetProperty("created", out var created) && created.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(created.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed : null;
    }

    public static int MaxBlob => MaxDocument;
}
