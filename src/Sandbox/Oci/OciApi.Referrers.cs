using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace RegistryCleaner.Sandbox;

/// <summary>The OCI 1.1 referrers API: an index of the manifests in the repository whose <c>subject</c> is the given digest.</summary>
internal sealed partial class OciApi
{
    private const string IndexMediaType = "application/vnd.oci.image.index.v1+json";

    private Task ReferrersAsync(HttpContext context, string name, string digest)
    {
        if (!OciNames.IsDigest(digest)) return OciErrors.DigestInvalid(context, $"invalid digest {digest}");
        List<object> referrers = [];
        lock (Store.Gate)
        {
            if (Store.Repositories.TryGetValue(name, out var repo))
            {
                foreach (var (manifestDigest, manifest) in repo.Manifests)
                {
                    if (SubjectOf(manifest.Bytes, out var artifactType) == digest)
                        referrers.Add(new { mediaType = manifest.MediaType, digest = manifestDigest, size = manifest.Bytes.Length, artifactType });
                }
            }
        }
        // The spec answers an empty index, never 404, for a digest nothing refers to.
        return Respond.Bytes(context, 200, JsonSerializer.SerializeToUtf8Bytes(new { schemaVersion = 2, mediaType = IndexMediaType, manifests = referrers }),
            IndexMediaType);
    }

    private static string? SubjectOf(byte[] manifest, out string? artifactType)
    {
        artifactType = null;
        try
        {
            using var doc = JsonDocument.Parse(manifest);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("subject", out var subject) || subject.ValueKind != JsonValueKind.Object
                || !subject.TryGetProperty("digest", out var digest) || digest.ValueKind != JsonValueKind.String)
                return null;
            if (root.TryGetProperty("artifactType", out var type) && type.ValueKind == JsonValueKind.String)
                artifactType = type.GetString();
            return digest.GetString();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
