using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace RegistryCleaner.Bench.Registry;

/// <summary>Pushes small unique images through the distribution API, and counts the tags left in a repository.</summary>
public sealed class RegistryApi(HttpClient http)
{
    public const string ManifestType = "application/vnd.oci.image.manifest.v1+json";

    public Task PushAsync(RegistryLayout layout, int concurrency) => PushAsync(layout.RepositoryNames, layout.Images, concurrency);

    /// <summary>Pushes one unique image per entry and points every tag of the entry at it.</summary>
    public async Task PushAsync(IEnumerable<string> repositories, IEnumerable<(string Repository, string[] Tags)> imagesToPush, int concurrency)
    {
        var layer = Encoding.UTF8.GetBytes("benchmark layer");
        foreach (var repository in repositories)
            await UploadBlobAsync(repository, layer);
        var images = imagesToPush.ToList();
        var run = await Measure.Concurrently.RunAsync(images.Count, concurrency, async i =>
        {
            var (repository, tags) = images[i];
            var config = Encoding.UTF8.GetBytes($$$"""{"architecture":"amd64","os":"linux","config":{"Labels":{"bench":"{{{repository}}}:{{{tags[0]}}}"}},"rootfs":{"type":"layers","diff_ids":[]}}""");
            await UploadBlobAsync(repository, config);
            var manifest = Encoding.UTF8.GetBytes(
                $$"""{"schemaVersion":2,"mediaType":"{{ManifestType}}","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{Digest(config)}}","size":{{config.Length}}},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{Digest(layer)}}","size":{{layer.Length}}}]}""");
            foreach (var tag in tags)
            {
                using var content = new ByteArrayContent(manifest) { Headers = { ContentType = new MediaTypeHeaderValue(ManifestType) } };
                using var response = await http.PutAsync($"v2/{repository}/manifests/{tag}", content);
                if (response.StatusCode != HttpStatusCode.Created)
                    return false;
            }
            return true;
        });
        if (run.Failures > 0)
            throw new BenchFailure($"{run.Failures} images could not be pushed to the registry.");
    }

    /// <summary>Tags still listed in the layout's repositories.</summary>
    public async Task<int> TagsLeftAsync(RegistryLayout layout)
    {
        var left = 0;
        foreach (var repository in layout.RepositoryNames)
        {
            using var response = await http.GetAsync($"v2/{repository}/tags/list");
            if (response.StatusCode == HttpStatusCode.NotFound)
                continue;
            response.EnsureSuccessStatusCode();
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            if (doc.RootElement.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array)
                left += tags.GetArrayLength();
        }
        return left;
    }

    /// <summary>Every tag of a repository with the digest it resolves to; null for a dangling tag (listed, but its manifest is unknown).</summary>
    public async Task<Dictionary<string, string?>> ResolveAllAsync(string repository)
    {
        var resolved = new Dictionary<string, string?>(StringComparer.Ordinal);
        using var response = await http.GetAsync($"v2/{repository}/tags/list");
        if (response.StatusCode == HttpStatusCode.NotFound)
            return resolved;
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        if (!doc.RootElement.TryGetProperty("tags", out var tags) || tags.ValueKind != JsonValueKind.Array)
            return resolved;
        foreach (var tag in tags.EnumerateArray().Select(t => t.GetString()!))
        {
            using var head = new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/manifests/{tag}");
            head.Headers.Accept.ParseAdd(ManifestType);
            using var answer = await http.SendAsync(head);
            resolved[tag] = answer.StatusCode == HttpStatusCode.OK ? answer.Headers.GetValues("Docker-Content-Digest").First() : null;
        }
        return resolved;
    }

    private async Task UploadBlobAsync(string repository, byte[] blob)
    {
        using var start = await http.PostAsync($"v2/{repository}/blobs/uploads/", null);
        if (start.StatusCode != HttpStatusCode.Accepted || start.Headers.Location is not { } location)
            throw new BenchFailure($"The registry refused a blob upload to {repository} ({(int)start.StatusCode}).");
        var url = (location.IsAbsoluteUri ? location : new Uri(http.BaseAddress!, location)).AbsoluteUri;
        url += (url.Contains('?') ? "&" : "?") + "digest=" + Uri.EscapeDataString(Digest(blob));
        using var content = new ByteArrayContent(blob) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } };
        using var done = await http.PutAsync(url, content);
        if (done.StatusCode != HttpStatusCode.Created)
            throw new BenchFailure($"The registry refused a blob to {repository} ({(int)done.StatusCode}).");
    }

    public static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
}
