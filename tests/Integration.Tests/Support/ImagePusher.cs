using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace RegistryCleaner.Integration.Tests.Support;

/// <summary>Pushes small real images through the registry API, and reads back what a tag resolves to.</summary>
public sealed partial class ImagePusher(Uri registry) : IDisposable
{
    private const string ManifestType = "application/vnd.oci.image.manifest.v1+json";
    private readonly HttpClient _http = new() { BaseAddress = registry };
    private readonly OciImages _blobs = new(registry);

    /// <summary>Pushes one image whose config has the given label and creation time, and points every tag at it. Returns its digest.</summary>
    public async Task<string> PushAsync(string repository, string label, params string[] tags) => await PushAsync(repository, label, DateTimeOffset.UtcNow, tags);

    public async Task<string> PushAsync(string repository, string label, DateTimeOffset? created, params string[] tags)
    {
        var createdField = created is { } at ? $"\"created\":\"{at.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\"," : "";
        var config = Encoding.UTF8.GetBytes($$$"""{{{{createdField}}}"architecture":"amd64","os":"linux","config":{"Labels":{"test":"{{{label}}}"}},"rootfs":{"type":"layers","diff_ids":[]}}""");
        var layer = Encoding.UTF8.GetBytes($"layer of {label}");
        await UploadBlobAsync(repository, config);
        await UploadBlobAsync(repository, layer);
        var manifest = Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"{{ManifestType}}","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{Digest(config)}}","size":{{config.Length}}},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{Digest(layer)}}","size":{{layer.Length}}}]}""");
        foreach (var tag in tags)
        {
            using var content = new ByteArrayContent(manifest) { Headers = { ContentType = new MediaTypeHeaderValue(ManifestType) } };
            using var response = await _http.PutAsync($"v2/{repository}/manifests/{tag}", content);
            response.EnsureSuccessStatusCode();
        }
        return Digest(manifest);
    }

    /// <summary>Leaves a tag as a worker stopped mid-delete would: pointing at a throw-away manifest.</summary>
    public async Task RepointToThrowawayAsync(string repository, string tag)
    {
        await UploadBlobAsync(repository, Worker.Registries.Oci.ThrowawayManifest.ConfigBlob);
        using var content = new ByteArrayContent(Worker.Registries.Oci.ThrowawayManifest.Create()) { Headers = { ContentType = new MediaTypeHeaderValue(ManifestType) } };
        using var response = await _http.PutAsync($"v2/{repository}/manifests/{tag}", content);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The digest a tag resolves to, or null when the registry says it is unknown.</summary>
    public async Task<string?> ResolveAsync(string repository, string tag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/manifests/{tag}");
        request.Headers.Accept.ParseAdd(ManifestType);
        using var response = await _http.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        response.EnsureSuccessStatusCode();
        return response.Headers.GetValues("Docker-Content-Digest").Single();
    }

    public async Task<List<string>> TagsAsync(string repository)
    {
        using var response = await _http.GetAsync($"v2/{repository}/tags/list");
        if (response.StatusCode == HttpStatusCode.NotFound)
            return [];
        response.EnsureSuccessStatusCode();
        using var doc = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("tags") is { ValueKind: System.Text.Json.JsonValueKind.Array } tags
            ? tags.EnumerateArray().Select(t => t.GetString()!).Order().ToList()
            : [];
    }

    private Task UploadBlobAsync(string repository, byte[] blob) => _blobs.UploadAsync(repository, blob);

    public static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    public void Dispose()
    {
        _http.Dispose();
        _blobs.Dispose();
    }
}
