using System.Net;
using System.Text.Json;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Registries.Http;

namespace RegistryCleaner.Worker.Registries.Oci;

/// <summary>
/// Manifest-level calls for restore and reclaim on an OCI registry: resolve a tag, read and write a manifest, delete a
/// digest, list referrers. Shares the registry's <see cref="RegistryHttp"/> (its limits, retries and credentials).
/// </summary>
public sealed class OciManifests(string name, Uri endpoint, RegistryHttp http, OciImageReader reader,
    Func<string, OperationAttempts, CancellationToken, Task<List<string>?>> listTags)
{
    private const int MaxManifest = 4 * 1024 * 1024;
    public const string ReferrersMediaType = "application/vnd.oci.image.index.v1+json";

    private readonly RegistryApi<OciError> _api = new(name, endpoint, http, new OciAnswers(name));

    public string Registry => name;

    /// <summary>Every tag of the repository; null when the repository is unknown.</summary>
    public Task<List<string>?> TagsAsync(string repository, OperationAttempts attempts, CancellationToken ct) => listTags(repository, attempts, ct);

    /// <summary>The digest a tag points at, or null when the tag does not exist.</summary>
    public async Task<string?> ResolveAsync(string repository, string tag, OperationAttempts attempts, CancellationToken ct)
    {
        using var response = await http.SendAsync(() => reader.ManifestRequest(HttpMethod.Head, repository, tag), attempts, ct);
        if (OciAnswers.IsSuccess(response))
            return OciImageReader.DigestHeader(response) ?? (await GetAsync(repository, tag, attempts, ct))?.Digest;
        if (response.StatusCode == HttpStatusCode.NotFound)
            return (await GetAsync(repository, tag, attempts, ct))?.Digest; // a HEAD's 404 has no body to tell the API's from a proxy's
        throw OciAnswers.Failure(name, $"the manifest of {repository}:{tag}", response, null);
    }

    /// <summary>The manifest under a tag or digest, or null when the registry says it does not hold it.</summary>
    public Task<OciManifest?> GetAsync(string repository, string reference, OperationAttempts attempts, CancellationToken ct) =>
        reader.GetManifestAsync(repository, reference, attempts, ct);

    /// <summary>Puts a manifest under a tag; returns the digest the registry stored it at.</summary>
    public async Task<string> PutAsync(string repository, string tag, OciManifest manifest, OperationAttempts attempts, CancellationToken ct)
    {
        using var response = await http.SendAsync(() => new(HttpMethod.Put, Manifest(repository, tag))
        {
            Content = new ByteArrayContent(manifest.Content) { Headers = { ContentType = new(manifest.MediaType) } },
        }, attempts, ct);
        if (response.StatusCode != HttpStatusCode.Created)
            throw OciAnswers.Failure(name, $"putting {repository}:{tag} back", response, await OciError.ReadAsync(response, ct));
        return OciImageReader.DigestHeader(response) ?? manifest.Digest;
    }

    /// <summary>Deletes a manifest by digest (and, on the registry, every tag on it); false when it was gone already.</summary>
    public async Task<bool> DeleteAsync(string repository, string digest, OperationAttempts attempts, CancellationToken ct) =>
        (await _api.DeleteAsync(Manifest(repository, digest), $"the delete of {repository}@{digest}", attempts, ct)).Outcome == DeletionOutcome.Deleted;

    /// <summary>
    /// The digests of manifests whose <c>subject</c> is <paramref name="digest"/>, from the OCI 1.1 referrers API; null when
    /// the registry does not serve that API (distribution 2.8 answers 404 without an OCI error body).
    /// </summary>
    public async Task<IReadOnlyList<string>?> ReferrersAsync(string repository, string digest, OperationAttempts attempts, CancellationToken ct)
    {
        using var response = await http.SendAsync(() => new(HttpMethod.Get, _api.Uri($"v2/{repository}/referrers/{digest}")), attempts, ct);
        if (!OciAnswers.IsSuccess(response))
        {
            var error = await OciError.ReadAsync(response, ct);
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed or HttpStatusCode.BadRequest && error is not { Code: "MANIFEST_UNKNOWN" })
                return null;
            if (OciAnswers.IsApiNotFound(response, error))
                return [];
            throw OciAnswers.Failure(name, $"the referrers of {repository}@{digest}", response, error);
        }
        var body = await ResponseBody.ReadLimitedAsync(response, MaxManifest, ct);
        return OciManifest.Children(body);
    }

    private Uri Manifest(string repository, string reference) => _api.Uri($"v2/{repository}/manifests/{reference}");
}

/// <summary>A manifest as the registry served it, and what it refers to.</summary>
public sealed record OciManifest(byte[] Content, string MediaType, string Digest)
{
    /// <summary>Config and layers with their sizes (empty for an index).</summary>
    public IReadOnlyList<(string Digest, long Size)> Blobs()
    {
        var blobs = new List<(string, long)>();
        try
        {
            using var doc = JsonDocument.Parse(Content);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return blobs;
            if (root.TryGetProperty("config", out var config) && Descriptor(config) is { } c)
                blobs.Add(c);
            if (root.TryGetProperty("layers", out var layers) && layers.ValueKind == JsonValueKind.Array)
                blobs.AddRange(layers.EnumerateArray().Select(Descriptor).OfType<(string, long)>());
        }
        catch (JsonException)
        {
        }
        return blobs;
    }

    /// <summary>The manifests an index lists (empty for an image manifest).</summary>
    public IReadOnlyList<string> Manifests() => Children(Content);

    public static IReadOnlyList<string> Children(byte[] index)
    {
        try
        {
            using var doc = JsonDocument.Parse(index);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("manifests", out var manifests) && manifests.ValueKind == JsonValueKind.Array)
                return manifests.EnumerateArray().Select(Descriptor).OfType<(string Digest, long)>().Select(d => d.Digest).ToList();
        }
        catch (JsonException)
        {
        }
        return [];
    }

    private static (string, long)? Descriptor(JsonElement descriptor) =>
        descriptor.ValueKind == JsonValueKind.Object && descriptor.TryGetProperty("digest", out var digest) && digest.ValueKind == JsonValueKind.String
            ? (digest.GetString()!, descriptor.TryGetProperty("size", out var size) && size.TryGetInt64(out var n) ? n : 0)
            : null;
}
