using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using RegistryCleaner.Common.Validation;
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
    /// finishing an interrupted batch can still report its tag's digest. Tags and digests must follow their OCI grammars
    /// (neither holds '@' nor ','); the JSON is written by a writer, so nothing a registry answered can shape it.
    /// </summary>
    public static byte[] Create(IEnumerable<(string Tag, string Digest)> originals)
    {
        var recorded = new StringBuilder();
        foreach (var (tag, digest) in originals)
        {
            if (!NameRules.IsOciTag(tag))
                throw new ArgumentException($"'{tag}' is not an OCI tag.", nameof(originals));
            if (!OciDigest.IsValid(digest))
                throw new ArgumentException($"The digest recorded for {tag} is not an OCI digest.", nameof(originals));
            recorded.Append(recorded.Length == 0 ? "" : ",").Append(tag).Append('@').Append(digest);
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", 2);
            json.WriteString("mediaType", MediaType);
            json.WriteStartObject("config");
            json.WriteString("mediaType", "application/vnd.oci.image.config.v1+json");
            json.WriteString("digest", ConfigDigest);
            json.WriteNumber("size", ConfigBlob.Length);
            json.WriteEndObject();
            json.WriteStartArray("layers");
            json.WriteEndArray();
            json.WriteStartObject("annotations");
            json.WriteString(Annotation, Guid.NewGuid().ToString("N"));
            if (recorded.Length > 0)
                json.WriteString(OriginalsAnnotation, recorded.ToString());
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.ToArray();
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
                return OciDigest.IsValid(entry[(at + 1)..]) ? entry[(at + 1)..] : null;
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
