using System.IO.Compression;
using System.Text.Json;

namespace RegistryCleaner.Sandbox;

internal sealed record GeneratedImage(byte[] Config, string ConfigDigest, byte[] Manifest, string ManifestDigest);

/// <summary>Builds small but genuine OCI images: a config blob, one gzip layer of an empty tar, and the manifest.</summary>
internal static class OciContent
{
    public const string ManifestMediaType = "application/vnd.oci.image.manifest.v1+json";
    public const string ConfigMediaType = "application/vnd.oci.image.config.v1+json";
    public const string LayerMediaType = "application/vnd.oci.image.layer.v1.tar+gzip";

    private static readonly byte[] EmptyTar = new byte[1024];

    public static readonly byte[] Layer = Gzip(EmptyTar);
    public static readonly string LayerDigest = Digests.Sha256(Layer);
    private static readonly string LayerDiffId = Digests.Sha256(EmptyTar);

    public static GeneratedImage Generate(string label, DateTimeOffset? created)
    {
        var config = JsonSerializer.SerializeToUtf8Bytes(new
        {
            created = created?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
            architecture = "amd64",
            os = "linux",
            config = new { Labels = new Dictionary<string, string> { ["org.sandbox.image"] = label } },
            rootfs = new { type = "layers", diff_ids = new[] { LayerDiffId } },
        }, NoNulls);
        var configDigest = Digests.Sha256(config);
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = ManifestMediaType,
            config = new { mediaType = ConfigMediaType, digest = configDigest, size = config.Length },
            layers = new[] { new { mediaType = LayerMediaType, digest = LayerDigest, size = Layer.Length } },
        });
        return new GeneratedImage(config, configDigest, manifest, Digests.Sha256(manifest));
    }

    private static readonly JsonSerializerOptions NoNulls = new()
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
            gzip.Write(data);
        return output.ToArray();
    }
}
