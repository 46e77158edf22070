using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace RegistryCleaner.Worker.Registries.Oci;

/// <summary>
/// A tiny unique manifest that a tag is re-pointed to before its digest is deleted, so that deleting it takes
/// nothing but that one tag (other tags of the original digest survive).
/// </summary>
public static class ThrowawayManifest
{
    public const string MediaType = "application/vnd.oci.image.manifest.v1+json";
    public const string Annotation = "io.registry-cleaner.throwaway";

    /// <summary>The empty JSON object <c>{}</c>, the config blob every throw-away manifest points to.</summary>
    public static readonly byte[] ConfigBlob = "{}"u8.ToArray();
    public static readonly string ConfigDigest = Digest(ConfigBlob);

    public static byte[] Create() => Encoding.UTF8.GetBytes(
        $$$"""{"schemaVersion":2,"mediaType":"{{{MediaType}}}","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{{ConfigDigest}}}","size":2},"layers":[],"annotations":{"{{{Annotation}}}":"{{{Guid.NewGuid():N}}}"}}""");

    /// <summary>True for a manifest this worker wrote: an earlier attempt stopped between re-pointing and deleting.</summary>
    public static bool IsThrowaway(byte[] manifest)
    {
        if (manifest.Length > 4096)
            return false;
        try
        {
            using var doc = JsonDocument.Parse(manifest);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("annotations", out var annotations)
                && annotations.ValueKind == JsonValueKind.Object
                && annotations.TryGetProperty(Annotation, out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
}
