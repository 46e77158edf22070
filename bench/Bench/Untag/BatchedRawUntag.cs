using System.Net;
using System.Net.Http.Headers;
using RegistryCleaner.Bench.Measure;
using RegistryCleaner.Worker.Registries.Oci;

namespace RegistryCleaner.Bench.Untag;

/// <summary>
/// The untag batch as bare HTTP, the whole repository in one batch: GET every tag (what it points at, as the worker reads
/// it), make sure the throw-away config blob is there, PUT ONE throw-away manifest under every tag, then ONE DELETE of its
/// digest. Reads go <c>concurrency</c> at a time, PUTs <c>putConcurrency</c> at a time; the DELETE waits for every PUT.
/// </summary>
public static class BatchedRawUntag
{
    private const string Accept =
        "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, " +
        "application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json";

    public static async Task<(TimeSpan Elapsed, int Failures)> RunAsync(HttpClient http, string repository, IReadOnlyList<string> tags, int concurrency, int putConcurrency)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var read = await Concurrently.RunAsync(tags.Count, concurrency, async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{repository}/manifests/{tags[i]}");
            request.Headers.Accept.ParseAdd(Accept);
            using var response = await http.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            return response.StatusCode == HttpStatusCode.OK;
        });
        await Registry.RawSafeDelete.UploadConfigBlobAsync(http, repository);
        var throwaway = ThrowawayManifest.Create();
        var put = await Concurrently.RunAsync(tags.Count, putConcurrency, async i =>
        {
            using var content = new ByteArrayContent(throwaway) { Headers = { ContentType = new MediaTypeHeaderValue(ThrowawayManifest.MediaType) } };
            using var response = await http.PutAsync($"v2/{repository}/manifests/{tags[i]}", content);
            return response.StatusCode == HttpStatusCode.Created;
        });
        using var delete = await http.DeleteAsync($"v2/{repository}/manifests/{ThrowawayManifest.Digest(throwaway)}");
        var failures = read.Failures + put.Failures + (delete.StatusCode == HttpStatusCode.Accepted ? 0 : tags.Count);
        return (System.Diagnostics.Stopwatch.GetElapsedTime(started), failures);
    }
}
