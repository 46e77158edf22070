using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace RegistryCleaner.Integration.Tests.Support;

/// <summary>Images made of chosen layers, multi-arch indexes over them, and cosign-style signature tags.</summary>
public sealed partial class ImagePusher
{
    private const string IndexType = "application/vnd.oci.image.index.v1+json";
    private const string Accept = "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json";

    public sealed record PushedImage(string Digest, int ManifestSize, string Architecture, long ConfigSize, string ConfigDigest, IReadOnlyList<string> LayerDigests);

    /// <summary>Pushes an image of these layers with a config of this architecture and creation time; by digest when no tag is given.</summary>
    public async Task<PushedImage> PushImageAsync(string repository, string label, DateTimeOffset? created, IReadOnlyList<byte[]> layers,
        string architecture = "amd64", params string[] tags)
    {
        var createdField = created is { } at ? $"\"created\":\"{at.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\"," : "";
        var config = Encoding.UTF8.GetBytes($$$"""{{{{createdField}}}"architecture":"{{{architecture}}}","os":"linux","config":{"Labels":{"test":"{{{label}}}"}},"rootfs":{"type":"layers","diff_ids":[]}}""");
        await UploadBlobAsync(repository, config);
        foreach (var layer in layers)
            await UploadBlobAsync(repository, layer);
        var layerJson = string.Join(",", layers.Select(l => $$"""{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{Digest(l)}}","size":{{l.Length}}}"""));
        var manifest = Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"{{ManifestType}}","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{Digest(config)}}","size":{{config.Length}}},"layers":[{{layerJson}}]}""");
        var digest = Digest(manifest);
        foreach (var reference in tags.Length == 0 ? [digest] : tags)
            await PutManifestAsync(repository, reference, manifest, ManifestType);
        return new PushedImage(digest, manifest.Length, architecture, config.Length, Digest(config), layers.Select(Digest).ToList());
    }

    /// <summary>Pushes an OCI index over platform images already in the repository; annotated with a creation time when given.</summary>
    public async Task<string> PushIndexAsync(string repository, IReadOnlyList<PushedImage> platforms, DateTimeOffset? annotatedCreated, params string[] tags)
    {
        var entries = string.Join(",", platforms.Select(p =>
            $$$"""{"mediaType":"{{{ManifestType}}}","digest":"{{{p.Digest}}}","size":{{{p.ManifestSize}}},"platform":{"architecture":"{{{p.Architecture}}}","os":"linux"}}"""));
        var annotations = annotatedCreated is { } at ? $$""","annotations":{"org.opencontainers.image.created":"{{at.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}}"}""" : "";
        var index = Encoding.UTF8.GetBytes($$"""{"schemaVersion":2,"mediaType":"{{IndexType}}","manifests":[{{entries}}]{{annotations}}}""");
        foreach (var tag in tags)
            await PutManifestAsync(repository, tag, index, IndexType);
        return Digest(index);
    }

    /// <summary>A cosign-style signature of <paramref name="subject"/>: an image tagged <c>sha256-&lt;hex&gt;.sig</c>, its config created as given.</summary>
    public async Task<string> PushSignatureAsync(string repository, string subject, DateTimeOffset created)
    {
        var tag = subject.Replace(':', '-') + ".sig";
        var payload = Encoding.UTF8.GetBytes($$$"""{"critical":{"image":{"docker-manifest-digest":"{{{subject}}}"},"type":"cosign container image signature"}}""");
        await PushImageAsync(repository, "signature of " + subject, created, [payload], "amd64", tag);
        return tag;
    }

    /// <summary>True when the registry serves this manifest (by tag or digest).</summary>
    public async Task<bool> ManifestExistsAsync(string repository, string reference)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/manifests/{reference}");
        request.Headers.Accept.ParseAdd(Accept);
        using var response = await _http.SendAsync(request);
        return response.StatusCode == HttpStatusCode.OK;
    }

    public async Task<bool> BlobExistsAsync(string repository, string digest)
    {
        using var response = await _http.GetAsync($"v2/{repository}/blobs/{digest}");
        return response.StatusCode == HttpStatusCode.OK;
    }

    private async Task PutManifestAsync(string repository, string reference, byte[] manifest, string mediaType)
    {
        using var content = new ByteArrayContent(manifest) { Headers = { ContentType = new MediaTypeHeaderValue(mediaType) } };
        using var response = await _http.PutAsync($"v2/{repository}/manifests/{reference}", content);
        Assert.True(response.IsSuccessStatusCode, $"PUT {repository}:{reference} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
