using System.Net;
using System.Text.Json;
using RegistryCleaner.Worker.Registries.Http;

namespace RegistryCleaner.Worker.Registries.Oci;

/// <summary>
/// Reads images for retention: each tag's digest and age (an index is as old as its newest platform image, unless it
/// is annotated), the subject of referrer tags, and the parts a manifest is made of. Every digest is read once per
/// listing. Reading only: it never writes to the registry.
/// </summary>
public sealed class OciImageReader(string name, Uri baseAddress, RegistryHttp http) : IImageContents
{
    private const int MaxManifest = 4 * 1024 * 1024;
    private const int MaxIndexDepth = 2;
    private const string ManifestAccept =
        "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, " +
        "application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json";

    /// <summary>Dates every listed tag; tags deleted since they were listed are left out.</summary>
    public async Task<IReadOnlyList<RegistryTag>> DateTagsAsync(string repository, IReadOnlyList<string> names, OperationAttempts attempts, CancellationToken ct)
    {
        var createdByDigest = new Dictionary<string, DateTimeOffset?>(StringComparer.Ordinal);
        // One instance per digest, however many tags share it.
        var imageByDigest = new Dictionary<string, (string Digest, DateTimeOffset? Created, string? Subject)>(StringComparer.Ordinal);
        var tags = new List<RegistryTag>(names.Count);
        foreach (var tag in names)
        {
            var manifest = await GetManifestAsync(repository, tag, attempts, ct);
            if (manifest is null)
                continue; // deleted since it was listed
            if (!imageByDigest.TryGetValue(manifest.Digest, out var image))
            {
                var document = TryParse(manifest.Content);
                if (!createdByDigest.TryGetValue(manifest.Digest, out var created))
                    createdByDigest[manifest.Digest] = created = document is null ? null : await CreatedAsync(repository, document, createdByDigest, 0, attempts, ct);
                imageByDigest[manifest.Digest] = image = (manifest.Digest, created, document?.Subject);
            }
            tags.Add(new RegistryTag(tag, image.Digest, image.Created) { Subject = image.Subject });
        }
        return await MarkStoredSubjectsAsync(repository, tags, attempts, ct);
    }

    public async Task<ManifestParts?> ManifestPartsAsync(string repository, string digest, OperationAttempts attempts, CancellationToken ct)
    {
        var manifest = await GetManifestAsync(repository, digest, attempts, ct);
        return manifest is not null && TryParse(manifest.Content) is { } document ? new ManifestParts(document.Blobs, document.Manifests) : null;
    }

    /// <summary>A manifest by tag or digest; null when the registry says it is unknown.</summary>
    public async Task<OciManifest?> GetManifestAsync(string repository, string reference, OperationAttempts attempts, CancellationToken ct)
    {
        using var response = await http.SendAsync(() => ManifestRequest(HttpMethod.Get, repository, reference), attempts, ct);
        if (!OciAnswers.IsSuccess(response))
        {
            var error = await OciError.ReadAsync(response, ct);
            if (OciAnswers.IsApiNotFound(response, error))
                return null;
            throw OciAnswers.Failure(name, $"the manifest of {repository}{(reference.Contains(':') ? '@' : ':')}{reference}", response, error);
        }
        var content = await ResponseBody.ReadLimitedAsync(response, MaxManifest, ct);
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? ThrowawayManifest.MediaType;
        var digest = DigestHeader(response) ?? ThrowawayManifest.Digest(content);
        return new OciManifest(content, mediaType, digest);
    }

    public HttpRequestMessage ManifestRequest(HttpMethod method, string repository, string reference)
    {
        var request = new HttpRequestMessage(method, new Uri(baseAddress, $"v2/{repository}/manifests/{reference}"));
        request.Headers.Accept.ParseAdd(ManifestAccept);
        return request;
    }

    public static string? DigestHeader(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.FirstOrDefault() : null;

    /// <summary>
    /// The age of a manifest: its <c>org.opencontainers.image.created</c> annotation; else an image's config
    /// <c>created</c>; else, for an index, its newest platform image. Null (undated) when any platform cannot be dated.
    /// </summary>
    private async Task<DateTimeOffset?> CreatedAsync(string repository, OciManifestDocument document, Dictionary<string, DateTimeOffset?> createdByDigest,
        int depth, OperationAttempts attempts, CancellationToken ct)
    {
        if (document.Annotated is { } annotated)
            return annotated;
        if (!document.IsIndex)
            return document.ConfigDigest is { } config ? await ConfigCreatedAsync(repository, config, attempts, ct) : null;
        if (depth >= MaxIndexDepth || document.Platforms.Count == 0)
            return null;
        DateTimeOffset? newest = null;
        foreach (var platform in document.Platforms)
        {
            if (!createdByDigest.TryGetValue(platform, out var created))
            {
                var manifest = await GetManifestAsync(repository, platform, attempts, ct);
                var child = manifest is null ? null : TryParse(manifest.Content);
                createdByDigest[platform] = created = child is null ? null : await CreatedAsync(repository, child, createdByDigest, depth + 1, attempts, ct);
            }
            if (created is null)
                return null;
            if (newest is null || created > newest)
                newest = created;
        }
        return newest;
    }

    private async Task<DateTimeOffset?> ConfigCreatedAsync(string repository, string configDigest, OperationAttempts attempts, CancellationToken ct)
    {
        try
        {
            using var response = await http.SendAsync(() => new(HttpMethod.Get, new Uri(baseAddress, $"v2/{repository}/blobs/{configDigest}")), attempts, ct);
            if (!OciAnswers.IsSuccess(response))
                return null;
            return OciManifestDocument.ReadConfigCreated(await ResponseBody.ReadLimitedAsync(response, OciListing.MaxBlob, ct));
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            return null; // unreadable: undated, so no age rule can condemn it
        }
    }

    /// <summary>
    /// A referrer tag whose subject no listed tag holds may still have its subject in the repository, untagged (a
    /// platform image of an index, an image whose tags were removed): the registry is asked, once per subject. Only its
    /// 404 makes a subject absent; any other failure fails the listing.
    /// </summary>
    private async Task<IReadOnlyList<RegistryTag>> MarkStoredSubjectsAsync(string repository, List<RegistryTag> tags, OperationAttempts attempts, CancellationToken ct)
    {
        HashSet<string>? tagged = null;
        Dictionary<string, bool>? stored = null;
        for (var i = 0; i < tags.Count; i++)
        {
            if (ReferrerTags.SubjectOf(tags[i]) is not { } subject)
                continue;
            tagged ??= tags.Where(t => t.Digest is not null).Select(t => t.Digest!).ToHashSet(StringComparer.Ordinal);
            if (tagged.Contains(subject))
                continue;
            stored ??= new(StringComparer.Ordinal);
            if (!stored.TryGetValue(subject, out var exists))
                stored[subject] = exists = await ExistsAsync(repository, subject, attempts, ct);
            tags[i] = tags[i] with { SubjectPresence = exists ? SubjectPresence.Present : SubjectPresence.Absent };
        }
        return tags;
    }

    private async Task<bool> ExistsAsync(string repository, string digest, OperationAttempts attempts, CancellationToken ct)
    {
        using var response = await http.SendAsync(() => ManifestRequest(HttpMethod.Head, repository, digest), attempts, ct);
        if (OciAnswers.IsSuccess(response))
            return true;
        if (response.StatusCode == HttpStatusCode.NotFound)
            return await GetManifestAsync(repository, digest, attempts, ct) is not null; // a HEAD's 404 has no body to tell the API's from a proxy's
        throw OciAnswers.Failure(name, $"the manifest of {repository}@{digest}", response, null);
    }

    private static OciManifestDocument? TryParse(byte[] content)
    {
        try
        {
            return OciManifestDocument.Parse(content);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
