using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace RegistryCleaner.Integration.Tests.Support;

/// <summary>
/// Builds images of any shape on a registry through its API (layers of a chosen size, shared layers, indexes, cosign
/// signature tags, OCI 1.1 referrers with a subject) and pulls them back as a client would.
/// </summary>
public sealed class OciImages(Uri registry) : IDisposable
{
    public const string ManifestType = "application/vnd.oci.image.manifest.v1+json";
    public const string IndexType = "application/vnd.oci.image.index.v1+json";
    private readonly HttpClient _http = new() { BaseAddress = registry, Timeout = TimeSpan.FromSeconds(60) };

    public sealed record Blob(string Digest, long Size, string MediaType);

    public sealed record Pushed(string Digest, byte[] Manifest, IReadOnlyList<Blob> Blobs);

    /// <summary>A layer of <paramref name="size"/> random bytes (incompressible, so the disk holds all of them).</summary>
    public async Task<Blob> LayerAsync(string repository, int size)
    {
        var bytes = RandomNumberGenerator.GetBytes(size);
        await UploadAsync(repository, bytes);
        return new Blob(Digest(bytes), size, "application/vnd.oci.image.layer.v1.tar");
    }

    /// <summary>An image with its own config and the given layers, under every tag given (none: by digest only).</summary>
    public async Task<Pushed> ImageAsync(string repository, IReadOnlyList<Blob> layers, string label, params string[] tags)
    {
        var config = Encoding.UTF8.GetBytes($$$"""{"architecture":"amd64","os":"linux","config":{"Labels":{"test":"{{{label}}}"}},"rootfs":{"type":"layers","diff_ids":[]}}""");
        await UploadAsync(repository, config);
        var configBlob = new Blob(Digest(config), config.Length, "application/vnd.oci.image.config.v1+json");
        var manifest = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            schemaVersion = 2,
            mediaType = ManifestType,
            config = Descriptor(configBlob),
            layers = layers.Select(Descriptor).ToArray(),
        }));
        return new Pushed(await ManifestAsync(repository, manifest, ManifestType, tags), manifest, [configBlob, .. layers]);
    }

    /// <summary>A manifest that refers to <paramref name="subject"/> (an OCI 1.1 referrer: a signature or SBOM), pushed by digest.</summary>
    public async Task<Pushed> ReferrerAsync(string repository, Pushed subject, string artifactType, params string[] tags)
    {
        var payload = Encoding.UTF8.GetBytes($"{artifactType} of {subject.Digest} {Guid.NewGuid()}");
        await UploadAsync(repository, payload);
        await UploadAsync(repository, "{}"u8.ToArray());
        var layer = new Blob(Digest(payload), payload.Length, "application/octet-stream");
        var manifest = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            schemaVersion = 2,
            mediaType = ManifestType,
            artifactType,
            config = new { mediaType = "application/vnd.oci.empty.v1+json", digest = Digest("{}"u8.ToArray()), size = 2 },
            layers = new[] { Descriptor(layer) },
            subject = new { mediaType = ManifestType, digest = subject.Digest, size = subject.Manifest.Length },
        }));
        return new Pushed(await ManifestAsync(repository, manifest, ManifestType, tags), manifest, [layer]);
    }

    /// <summary>An index of the given platform manifests.</summary>
    public async Task<Pushed> IndexAsync(string repository, IReadOnlyList<Pushed> platforms, params string[] tags)
    {
        var index = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            schemaVersion = 2,
            mediaType = IndexType,
            manifests = platforms.Select((p, i) => new { mediaType = ManifestType, digest = p.Digest, size = p.Manifest.Length, platform = new { architecture = $"arch{i}", os = "linux" } }).ToArray(),
        }));
        return new Pushed(await ManifestAsync(repository, index, IndexType, tags), index, []);
    }

    public async Task<string> ManifestAsync(string repository, byte[] manifest, string mediaType, params string[] tags)
    {
        var digest = Digest(manifest);
        foreach (var reference in tags.Length == 0 ? [digest] : tags)
        {
            using var content = new ByteArrayContent(manifest) { Headers = { ContentType = new MediaTypeHeaderValue(mediaType) } };
            using var response = await _http.PutAsync($"v2/{repository}/manifests/{reference}", content);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"PUT {repository}:{reference} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        return digest;
    }

    /// <summary>The HTTP status of the manifest under a tag or digest.</summary>
    public async Task<HttpStatusCode> ManifestStatusAsync(string repository, string reference)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/manifests/{reference}");
        request.Headers.Accept.ParseAdd($"{ManifestType}, {IndexType}");
        using var response = await _http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Pulls as a client does: the manifest under <paramref name="reference"/>, then every blob it names (for an index, every platform's). Returns what failed.</summary>
    public async Task<List<string>> PullProblemsAsync(string repository, string reference)
    {
        var problems = new List<string>();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/manifests/{reference}");
        request.Headers.Accept.ParseAdd($"{ManifestType}, {IndexType}");
        using var response = await _http.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.OK)
            return [$"manifest {reference}: {(int)response.StatusCode}"];
        using var doc = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        if (doc.RootElement.TryGetProperty("manifests", out var children))
        {
            foreach (var child in children.EnumerateArray())
                problems.AddRange(await PullProblemsAsync(repository, child.GetProperty("digest").GetString()!));
            return problems;
        }
        var blobs = new List<string> { doc.RootElement.GetProperty("config").GetProperty("digest").GetString()! };
        blobs.AddRange(doc.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!));
        foreach (var blob in blobs)
        {
            using var get = await _http.GetAsync($"v2/{repository}/blobs/{blob}", HttpCompletionOption.ResponseHeadersRead);
            if (get.StatusCode != HttpStatusCode.OK)
                problems.Add($"blob {blob}: {(int)get.StatusCode}");
        }
        return problems;
    }

    public async Task UploadAsync(string repository, byte[] blob)
    {
        using var start = await _http.PostAsync($"v2/{repository}/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var location = start.Headers.Location!;
        var url = (location.IsAbsoluteUri ? location : new Uri(_http.BaseAddress!, location)).AbsoluteUri;
        url += (url.Contains('?') ? "&" : "?") + "digest=" + Uri.EscapeDataString(Digest(blob));
        using var content = new ByteArrayContent(blob) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } };
        using var done = await _http.PutAsync(url, content);
        Assert.Equal(HttpStatusCode.Created, done.StatusCode);
    }

    private static object Descriptor(Blob blob) => new { mediaType = blob.MediaType, digest = blob.Digest, size = blob.Size };

    public static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    public void Dispose() => _http.Dispose();
}
