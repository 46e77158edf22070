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

    /// <summary>Where a batch's throw-away manifest records what each of its tags pointed at: <c>tag@digest</c>, comma-separated.</summary>
    public const string OriginalsAnnotation = "io.registry-cleaner.originals";

    private const int MaxThrowaway = 1024 * 1024;
    private static readonly byte[] AnnotationUtf8 = Encoding.UTF8.GetBytes(Annotation);

    /// <summary>The empty JSON object <c>{}</c>, the config blob every throw-away manifest points to.</summary>
    public static readonly byte[] ConfigBlob = "{}"u8.ToArray();
    public static readonly string ConfigDigest = Digest(ConfigBlob);

    public static byte[] Create() => Create([]);

    /// <summary>
    /// A manifest no other has (a fresh id), recording what each tag re-pointed at it pointed at before, so that a command
    /// finishing an interrupted batch can still report its tag's digest. Tag and digest grammars hold neither '@' nor ','.
    /// </summary>
    public static byte[] Create(IEnumerable<(string Tag, string Digest)> originals)
    {
        var recorded = string.Join(",", originals.Select(o => $"{o.Tag}@{o.Digest}"));
        var annotations = recorded.Length == 0
            ? $$"""{"{{Annotation}}":"{{Guid.NewGuid():N}}"}"""
            : $$"""{"{{Annotation}}":"{{Guid.NewGuid():N}}","{{OriginalsAnnotation}}":"{{recorded}}"}""";
        return Encoding.UTF8.GetBytes(
            $$$"""{"schemaVersion":2,"mediaType":"{{{MediaType}}}","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{{ConfigDigest}}}","size":2},"layers":[],"annotations":{{{annotations}}}}""");
    }

    /// <summary>True for a manifest this worker wrote: an earlier attempt stopped between re-pointing and deleting.</summary>
    public static bool IsThrowaway(byte[] manifest) => Annotations(manifest) is { } annotations && annotations.ContainsKey(Annotation);

    /// <summary>What <paramref name="tag"/> pointed at before a batch re-pointed it at this throw-away manifest, where it recorded that.</summary>
    public static string? OriginalOf(byte[] manifest, string tag)
    {
        if (Annotations(manifest)?.GetValueOrDefault(OriginalsAnnotation) is not { } recorded)
            return null;
        foreach (var entry in recorded.Split(','))
        {
            var at = entry.IndexOf('@');
            if (at > 0 && entry.AsSpan(0, at).SequenceEqual(tag))
                return entry[(at + 1)..];
        }
        return null;
    }

    private static Dictionary<string, string>? Annotations(byte[] manifest)
    {
        if (manifest.Length > MaxThrowaway || manifest.AsSpan().IndexOf(AnnotationUtf8) < 0)
            return null;
        try
        {
            using var doc = JsonDocument.Parse(manifest);
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("annotations", out var annotations)
                || annotations.ValueKind != JsonValueKind.Object)
                return null;
            return annotations.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String)
                .ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
}
