using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace RegistryCleaner.Worker.Tests.Retention;

/// <summary>Pushes hand-made images and indexes to the sandbox's OCI registry over its HTTP API, as a client would.</summary>
public sealed class SandboxImages(Uri endpoint, string repository, AuthenticationHeaderValue? credentials = null) : IDisposable
{
    private const string ManifestType = "application/vnd.oci.image.manifest.v1+json";
    private const string IndexType = "application/vnd.oci.image.index.v1+json";
    private readonly HttpClient _http = new() { BaseAddress = endpoint, DefaultRequestHeaders = { Authorization = credentials } };

    public static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>An image whose config says <paramref name="created"/> (no <c>created</c> at all when null); returns its manifest digest.</summary>
    public async Task<string> ImageAsync(string label, string? created, string? tag = null)
    {
        var config = Config(label, created);
        var layer = Encoding.UTF8.GetBytes("layer of " + label);
        await BlobAsync(config);
        await BlobAsync(layer);
        var manifest = new
        {
            schemaVersion = 2,
            mediaType = ManifestType,
            config = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = Digest(config), size = config.Length },
            layers = new[] { new { mediaType = "application/vnd.oci.image.layer.v1.tar", digest = Digest(layer), size = layer.Length } },
        };
        return await ManifestAsync(JsonSerializer.SerializeToUtf8Bytes(manifest), ManifestType, tag);
    }

    /// <summary>The config blob of <see cref="ImageAsync"/>'s image.</summary>
    public static byte[] Config(string label, string? created) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(created is null
        ? (object)new { architecture = "amd64", os = "linux", label }
        : new { architecture = "amd64", os = "linux", label, created }));

    /// <summary>An index of the given entries (digest, platform os, and whether it is a buildx attestation), tagged.</summary>
    public Task<string> IndexAsync(string tag, IEnumerable<(string Digest, string Os, bool Attestation)> entries, string? createdAnnotation = null)
    {
        var manifests = entries.Select(e => new Dictionary<string, object>
        {
            ["mediaType"] = ManifestType,
            ["digest"] = e.Digest,
            ["size"] = 100,
            ["platform"] = new { architecture = e.Os == "unknown" ? "unknown" : "amd64", os = e.Os },
            ["annotations"] = e.Attestation
                ? new Dictionary<string, string> { ["vnd.docker.reference.type"] = "attestation-manifest" }
                : new Dictionary<string, string>(),
        }).ToList();
        var index = new Dictionary<string, object> { ["schemaVersion"] = 2, ["mediaType"] = IndexType, ["manifests"] = manifests };
        if (createdAnnotation is not null)
            index["annotations"] = new Dictionary<string, string> { ["org.opencontainers.image.created"] = createdAnnotation };
        return ManifestAsync(JsonSerializer.SerializeToUtf8Bytes(index), IndexType, tag);
    }

    private async Task BlobAsync(byte[] content)
    {
        using var body = new ByteArrayContent(content);
        using var response = await _http.PostAsync($"v2/{repository}/blobs/uploads/?digest={Digest(content)}", body);
        response.EnsureSuccessStatusCode();
    }

    private async Task<string> ManifestAsync(byte[] content, string mediaType, string? tag)
    {
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await _http.PutAsync($"v2/{repository}/manifests/{tag ?? Digest(content)}", body);
        response.EnsureSuccessStatusCode();
        return Digest(content);
    }

    public void Dispose() => _http.Dispose();
}
