using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Registries.Http;
using RegistryCleaner.Worker.Validation;

namespace RegistryCleaner.Worker.Registries.Oci;

/// <summary>
/// OCI Distribution: deletes exactly one tag, by the spec 1.1 tag delete where the registry has it, otherwise by
/// re-pointing the tags of one repository at a throw-away manifest unique to their batch and deleting that digest
/// (OciClient.Deletion.cs, OciClient.UntagBatch.cs). This file lists repositories and tags.
/// </summary>
public sealed partial class OciClient(string name, Uri endpoint, RegistryHttp http, TimeProvider time, UntagBatchOptions untagBatch) : IRegistryClient
{
    private const int MaxManifest = 4 * 1024 * 1024;
    private const string ManifestAccept =
        "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, " +
        "application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json";

    private readonly Uri _base = endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");

    public string Name => name;
    public RegistryKind Kind => RegistryKind.Oci;

    public string? ValidateRepository(string repository) => NameRules.IsOciRepository(repository) ? null
        : "Repository must follow the OCI grammar: lowercase letters and digits, separated by '.', '_', '__', '-' or '/', at most 255 characters.";

    public string? ValidateTag(string tag) => NameRules.IsOciTag(tag) ? null
        : "Tag must follow the OCI grammar: a letter, digit or '_', then up to 127 letters, digits, '_', '.' or '-'.";

    /// <summary>Every tag of a repository, following <c>Link</c> paging when the registry pages; null when the repository is unknown.</summary>
    public async Task<List<string>?> ListTagNamesAsync(string repository, OperationAttempts attempts, CancellationToken ct)
    {
        var tags = new List<string>();
        Uri? next = new(_base, $"v2/{repository}/tags/list?n=1000");
        while (next is not null)
        {
            var page = next;
            using var response = await http.SendAsync(() => new(HttpMethod.Get, page), attempts, ct);
            if (!OciAnswers.IsSuccess(response))
            {
                var error = await OciError.ReadAsync(response, ct);
                if (OciAnswers.IsApiNotFound(response, error))
                    return null;
                throw OciAnswers.Failure(name, $"the tag list of {repository}", response, error);
            }
            tags.AddRange(await TagListPage.ReadTagsAsync(response, ct));
            next = TagListPage.NextLink(response, page);
        }
        return tags;
    }

    public async IAsyncEnumerable<string> ListRepositoriesAsync(OperationAttempts attempts, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        Uri? next = new(_base, "v2/_catalog?n=1000");
        while (next is not null)
        {
            var page = next;
            using var response = await http.SendAsync(() => new(HttpMethod.Get, page), attempts, ct);
            if (!OciAnswers.IsSuccess(response))
                throw OciAnswers.Failure(name, "the repository catalog (some hosted registries disable it: name the repositories in the policy instead)", response, await OciError.ReadAsync(response, ct));
            foreach (var repository in await OciListing.ReadRepositoriesAsync(response, ct))
                yield return repository;
            next = TagListPage.NextLink(response, page);
        }
    }

    public async Task<IReadOnlyList<RegistryTag>?> ListTagsAsync(string repository, OperationAttempts attempts, CancellationToken ct)
    {
        var names = await ListTagNamesAsync(repository, attempts, ct);
        if (names is null)
            return null;
        var createdByDigest = new Dictionary<string, DateTimeOffset?>(StringComparer.Ordinal);
        var tags = new List<RegistryTag>(names.Count);
        foreach (var tag in names)
        {
            var manifest = await GetManifestAsync(repository, tag, attempts, ct);
            if (manifest is null)
                continue; // deleted since it was listed
            if (!createdByDigest.TryGetValue(manifest.Digest, out var created))
                createdByDigest[manifest.Digest] = created = await CreatedAsync(repository, manifest.Content, attempts, ct);
            tags.Add(new RegistryTag(tag, manifest.Digest, created));
        }
        return tags;
    }

    private async Task<DateTimeOffset?> CreatedAsync(string repository, byte[] manifest, OperationAttempts attempts, CancellationToken ct)
    {
        try
        {
            var (configDigest, annotated) = OciListing.ReadManifest(manifest);
            if (annotated is not null || configDigest is null)
                return annotated;
            using var response = await http.SendAsync(() => new(HttpMethod.Get, new Uri(_base, $"v2/{repository}/blobs/{configDigest}")), attempts, ct);
            if (!OciAnswers.IsSuccess(response))
                return null;
            return OciListing.ReadConfigCreated(await ResponseBody.ReadLimitedAsync(response, OciListing.MaxBlob, ct));
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException)
        {
            return null; // unreadable: undated, so no age rule can condemn it
        }
    }

    private async Task<ManifestContent?> GetManifestAsync(string repository, string reference, OperationAttempts attempts, CancellationToken ct)
    {
        using var response = await http.SendAsync(() => ManifestRequest(HttpMethod.Get, repository, reference), attempts, ct);
        if (!OciAnswers.IsSuccess(response))
        {
            var error = await OciError.ReadAsync(response, ct);
            if (OciAnswers.IsApiNotFound(response, error))
                return null;
            throw OciAnswers.Failure(name, $"the manifest of {repository}:{reference}", response, error);
        }
        var content = await ResponseBody.ReadLimitedAsync(response, MaxManifest, ct);
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? ThrowawayManifest.MediaType;
        var digest = DigestHeader(response) ?? ThrowawayManifest.Digest(content);
        return new ManifestContent(content, mediaType, digest);
    }

    private HttpRequestMessage ManifestRequest(HttpMethod method, string repository, string reference)
    {
        var request = new HttpRequestMessage(method, Manifest(repository, reference));
        request.Headers.Accept.ParseAdd(ManifestAccept);
        return request;
    }

    private Uri Manifest(string repository, string reference) => new(_base, $"v2/{repository}/manifests/{reference}");

    private static string? DigestHeader(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.FirstOrDefault() : null;

    private sealed record ManifestContent(byte[] Content, string MediaType, string Digest);
}
