using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using RegistryCleaner.Worker.Registries.Oci;

namespace RegistryCleaner.Bench.Registry;

/// <summary>
/// The worker's exact tag delete on distribution 2.8 as bare HTTP, nothing else: GET the manifest, make sure the
/// throw-away config blob is in the repository (HEAD, and upload once if missing), PUT a unique throw-away manifest
/// under the tag, DELETE its digest. The one-time checks (the tag delete answering 400, the deletion probe) are made in
/// <see cref="LearnAsync"/>, as the worker makes them on its first command.
/// </summary>
public sealed class RawSafeDelete(HttpClient http)
{
    private const string Accept =
        "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, " +
        "application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json";

    private readonly ConcurrentDictionary<string, bool> _reposWithConfigBlob = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _failures = new(StringComparer.Ordinal);

    /// <summary>Failed tags by the request that failed and its status, e.g. "DELETE digest → 500".</summary>
    public string Failures => string.Join(", ", _failures.OrderByDescending(f => f.Value).Select(f => $"{f.Value}× {f.Key}"));

    public async Task LearnAsync(string repository, string tag)
    {
        using var tagDelete = await http.DeleteAsync($"v2/{repository}/manifests/{tag}");
        using var probe = await http.DeleteAsync($"v2/{repository}/manifests/{ThrowawayManifest.Digest("registry-cleaner deletion probe"u8.ToArray())}");
        if (tagDelete.StatusCode != HttpStatusCode.BadRequest || probe.StatusCode != HttpStatusCode.NotFound)
            throw new BenchFailure($"The registry answered the tag delete with {(int)tagDelete.StatusCode} and the probe with {(int)probe.StatusCode}: not distribution 2.8 with deletion enabled.");
    }

    public async Task<bool> DeleteAsync(string repository, string tag)
    {
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/manifests/{tag}"))
        {
            request.Headers.Accept.ParseAdd(Accept);
            using var original = await http.SendAsync(request);
            if (original.StatusCode != HttpStatusCode.OK)
                return Failed("GET manifest", original.StatusCode);
            await original.Content.ReadAsByteArrayAsync();
        }
        await EnsureConfigBlobAsync(repository);
        using var content = new ByteArrayContent(ThrowawayManifest.Create()) { Headers = { ContentType = new MediaTypeHeaderValue(ThrowawayManifest.MediaType) } };
        using var put = await http.PutAsync($"v2/{repository}/manifests/{tag}", content);
        if (put.StatusCode != HttpStatusCode.Created || !put.Headers.TryGetValues("Docker-Content-Digest", out var digests))
            return Failed("PUT throw-away manifest", put.StatusCode);
        using var delete = await http.DeleteAsync($"v2/{repository}/manifests/{digests.First()}");
        return delete.StatusCode == HttpStatusCode.Accepted || Failed("DELETE digest", delete.StatusCode);
    }

    private bool Failed(string request, HttpStatusCode status)
    {
        _failures.AddOrUpdate($"{request} → {(int)status}", 1, (_, n) => n + 1);
        return false;
    }

    private async Task EnsureConfigBlobAsync(string repository)
    {
        if (_reposWithConfigBlob.ContainsKey(repository))
            return;
        using (var head = new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/blobs/{ThrowawayManifest.ConfigDigest}"))
        using (var found = await http.SendAsync(head))
        {
            if (found.StatusCode == HttpStatusCode.OK)
            {
                _reposWithConfigBlob[repository] = true;
                return;
            }
        }
        await UploadConfigBlobAsync(http, repository);
        _reposWithConfigBlob[repository] = true;
    }

    /// <summary>Uploads the throw-away manifests' config blob <c>{}</c> to a repository.</summary>
    public static async Task UploadConfigBlobAsync(HttpClient http, string repository)
    {
        using var start = await http.PostAsync($"v2/{repository}/blobs/uploads/", null);
        var location = start.Headers.Location!;
        var url = (location.IsAbsoluteUri ? location : new Uri(http.BaseAddress!, location)).AbsoluteUri;
        url += (url.Contains('?') ? "&" : "?") + "digest=" + Uri.EscapeDataString(ThrowawayManifest.ConfigDigest);
        using var blob = new ByteArrayContent(ThrowawayManifest.ConfigBlob) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } };
        using var done = await http.PutAsync(url, blob);
        if (done.StatusCode != HttpStatusCode.Created)
            throw new BenchFailure($"The throw-away config blob could not be uploaded to {repository} ({(int)done.StatusCode}).");
    }
}
