using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Registries.Http;
using RegistryCleaner.Worker.Validation;

namespace RegistryCleaner.Worker.Registries.Oci;

/// <summary>
/// OCI Distribution: deletes exactly one tag, by the spec 1.1 tag delete where the registry has it, otherwise by
/// re-pointing the tag at a unique throw-away manifest and deleting that digest.
/// </summary>
public sealed class OciClient(string name, Uri endpoint, RegistryHttp http, TimeProvider time) : IRegistryClient
{
    private static readonly TimeSpan CapabilityLifetime = TimeSpan.FromMinutes(10);
    private const int MaxManifest = 4 * 1024 * 1024;
    private const int MaxThrowawayRounds = 3;
    private const string ManifestAccept =
        "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, " +
        "application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json";

    private readonly Uri _base = endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
    private readonly ConcurrentDictionary<string, bool> _reposWithConfigBlob = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim[] _repositoryGates = Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1)).ToArray();
    private DateTimeOffset _tagDeleteUnsupportedUntil;
    private DateTimeOffset _digestDeleteAllowedUntil;

    /// <summary>Manifest-level calls for restore and reclaim, through this client's limits and credentials.</summary>
    public OciManifests Manifests => _manifests ??= new OciManifests(name, endpoint, http, ListTagNamesAsync);
    private OciManifests? _manifests;

    public string Name => name;
    public RegistryKind Kind => RegistryKind.Oci;

    public string? ValidateRepository(string repository) => NameRules.IsOciRepository(repository) ? null
        : "Repository must follow the OCI grammar: lowercase letters and digits, separated by '.', '_', '__', '-' or '/', at most 255 characters.";

    public string? ValidateTag(string tag) => NameRules.IsOciTag(tag) ? null
        : "Tag must follow the OCI grammar: a letter, digit or '_', then up to 127 letters, digits, '_', '.' or '-'.";

    public async Task<DeletionResult> DeleteTagAsync(string repository, string tag, OperationAttempts attempts, CancellationToken ct)
    {
        if (time.GetUtcNow() >= _tagDeleteUnsupportedUntil)
        {
            // The spec's tag delete does not say what the tag pointed at; the journal needs it to restore and reclaim.
            var digest = await HeadDigestAsync(repository, tag, attempts, ct);
            using var response = await http.SendAsync(() => new(HttpMethod.Delete, Manifest(repository, tag)), attempts, ct);
            if (OciAnswers.IsSuccess(response))
                return DeletionResult.Deleted with { Digest = digest };
            var error = await OciError.ReadAsync(response, ct);
            if (response.StatusCode == HttpStatusCode.NotFound && error is { IsNotFound: true })
                return DeletionResult.AlreadyAbsent;
            if (response.StatusCode != HttpStatusCode.BadRequest || error?.Code is not ("DIGEST_INVALID" or "UNSUPPORTED"))
                throw OciAnswers.Failure(name, $"the delete of {repository}:{tag}", response, error);
            _tagDeleteUnsupportedUntil = time.GetUtcNow() + CapabilityLifetime;
        }
        return await DeleteThroughThrowawayAsync(repository, tag, attempts, ct);
    }

    public async Task<DeletionResult> DeleteRepositoryAsync(string repository, bool deleteTagsFirst, OperationAttempts attempts, CancellationToken ct)
    {
        // OCI has no repository delete: a repository is gone when no tag is left. Every tag goes, so deleting by digest is exact.
        var tags = await ListTagNamesAsync(repository, attempts, ct);
        if (tags is null || tags.Count == 0)
            return new DeletionResult(DeletionOutcome.AlreadyAbsent, 0);

        var digests = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            var digest = await HeadDigestAsync(repository, tag, attempts, ct);
            if (digest is not null)
                digests.Add(digest);
        }
        foreach (var digest in digests)
            await DeleteDigestAsync(repository, digest, attempts, ct);

        var left = await ListTagNamesAsync(repository, attempts, ct);
        if (left is { Count: > 0 })
            throw new RegistryFailureException(FailureKind.RegistryError, null,
                $"Registry '{name}' still lists {left.Count} tag(s) in {repository} after deleting {tags.Count}: tags were pushed meanwhile. Send the command again to remove them.");
        return new DeletionResult(DeletionOutcome.Deleted, tags.Count);
    }

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

    private async Task<DeletionResult> DeleteThroughThrowawayAsync(string repository, string tag, OperationAttempts attempts, CancellationToken ct)
    {
        var original = await GetManifestAsync(repository, tag, attempts, ct);
        if (original is null)
            return DeletionResult.AlreadyAbsent;
        if (ThrowawayManifest.IsThrowaway(original.Content))
        {
            await DeleteDigestAsync(repository, original.Digest, attempts, ct);
            return DeletionResult.Deleted;
        }

        await EnsureDigestDeleteAllowedAsync(repository, attempts, ct);
        await EnsureConfigBlobAsync(repository, attempts, ct);
        // A 404 for our own throw-away digest means an earlier attempt deleted the manifest but its answer was lost
        // (distribution can fail while untagging, e.g. under concurrent deletes): the tag may still be listed, so
        // re-point and delete once more rather than report a tag gone that is not. distribution reports exactly that
        // failure as a 500, so before the last round a 5xx goes straight to the next round instead of waiting out a
        // retry whose answer would be that 404.
        for (var round = 1; ; round++)
        {
            var last = round == MaxThrowawayRounds;
            var gate = RepositoryGate(repository);
            await gate.WaitAsync(ct);
            try
            {
                var throwawayDigest = await PutManifestAsync(repository, tag, ThrowawayManifest.Create(), ThrowawayManifest.MediaType, attempts, ct);
                try
                {
                    if (await DeleteDigestAsync(repository, throwawayDigest, attempts, ct, serverErrorIsAnswer: !last) == DigestDeletion.Deleted || last)
                        return DeletionResult.Deleted with { Digest = original.Digest, MediaType = original.MediaType };
                }
                catch (RegistryFailureException failure)
                {
                    throw await RestoreAsync(repository, tag, original, failure, ct);
                }
            }
            finally
            {
                gate.Release();
            }
        }
    }

    /// <summary>
    /// Manifest writes to one repository, one at a time. distribution's digest delete reads every tag link of the
    /// repository, and a link that a concurrent PUT is rewriting reads torn: the delete then fails half done (500,
    /// the tag left dangling). Deletes in different repositories still run side by side (a fixed set of gates, shared by
    /// repositories whose names hash alike, so that memory stays bounded however many repositories there are).
    /// </summary>
    private SemaphoreSlim RepositoryGate(string repository) =>
        _repositoryGates[(int)((uint)StringComparer.Ordinal.GetHashCode(repository) % (uint)_repositoryGates.Length)];

    /// <summary>Puts the original manifest back under the tag, so a delete that cannot finish leaves the tag as it was.</summary>
    private async Task<RegistryFailureException> RestoreAsync(string repository, string tag, ManifestContent original, RegistryFailureException failure, CancellationToken ct)
    {
        try
        {
            await PutManifestAsync(repository, tag, original.Content, original.MediaType, new OperationAttempts(), ct);
            return failure;
        }
        catch (Exception e) when (e is RegistryFailureException or HttpRequestException)
        {
            return new RegistryFailureException(failure.Kind, failure.Status,
                $"{failure.Message} Restoring {repository}:{tag} to {original.Digest} also failed ({e.Message}); the tag points at a throw-away manifest until the command is re-driven.");
        }
    }

    private async Task EnsureDigestDeleteAllowedAsync(string repository, OperationAttempts attempts, CancellationToken ct)
    {
        if (time.GetUtcNow() < _digestDeleteAllowedUntil)
            return;
        // A digest no manifest can have: the answer tells whether deletion is enabled, and deletes nothing.
        var probe = Manifest(repository, ThrowawayManifest.Digest("registry-cleaner deletion probe"u8.ToArray()));
        using var response = await http.SendAsync(() => new(HttpMethod.Delete, probe), attempts, ct);
        var error = await OciError.ReadAsync(response, ct);
        if (response.StatusCode != HttpStatusCode.NotFound || error is null)
            throw OciAnswers.Failure(name, $"deletion in {repository}", response, error);
        _digestDeleteAllowedUntil = time.GetUtcNow() + CapabilityLifetime;
    }

    /// <summary>
    /// One upload per repository at a time: distribution's storage commits concurrent uploads of the same blob
    /// badly, and manifests referring to it are then refused (400 DIGEST_INVALID).
    /// </summary>
    private async Task EnsureConfigBlobAsync(string repository, OperationAttempts attempts, CancellationToken ct)
    {
        if (_reposWithConfigBlob.ContainsKey(repository))
            return;
        var gate = RepositoryGate(repository);
        await gate.WaitAsync(ct);
        try
        {
            if (!_reposWithConfigBlob.ContainsKey(repository))
                await UploadConfigBlobAsync(repository, attempts, ct);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task UploadConfigBlobAsync(string repository, OperationAttempts attempts, CancellationToken ct)
    {
        var blob = new Uri(_base, $"v2/{repository}/blobs/{ThrowawayManifest.ConfigDigest}");
        using (var head = await http.SendAsync(() => new(HttpMethod.Head, blob), attempts, ct))
        {
            if (head.StatusCode == HttpStatusCode.OK)
            {
                Remember(repository);
                return;
            }
        }
        using var started = await http.SendAsync(() => new(HttpMethod.Post, new Uri(_base, $"v2/{repository}/blobs/uploads/")), attempts, ct);
        if (started.StatusCode != HttpStatusCode.Accepted || started.Headers.Location is null)
            throw OciAnswers.Failure(name, $"a blob upload to {repository}", started, await OciError.ReadAsync(started, ct));
        var location = started.Headers.Location.IsAbsoluteUri ? started.Headers.Location : new Uri(_base, started.Headers.Location);
        var separator = string.IsNullOrEmpty(location.Query) ? "?" : "&";
        var finish = new Uri(location.AbsoluteUri + separator + "digest=" + Uri.EscapeDataString(ThrowawayManifest.ConfigDigest));
        using var put = await http.SendAsync(() => new(HttpMethod.Put, finish)
        {
            Content = new ByteArrayContent(ThrowawayManifest.ConfigBlob) { Headers = { ContentType = new("application/octet-stream") } },
        }, attempts, ct);
        if (put.StatusCode != HttpStatusCode.Created)
            throw OciAnswers.Failure(name, $"a blob upload to {repository}", put, await OciError.ReadAsync(put, ct));
        Remember(repository);
    }

    private void Remember(string repository)
    {
        if (_reposWithConfigBlob.Count > 10_000)
            _reposWithConfigBlob.Clear();
        _reposWithConfigBlob[repository] = true;
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

    private async Task<string?> HeadDigestAsync(string repository, string reference, OperationAttempts attempts, CancellationToken ct)
    {
        using var response = await http.SendAsync(() => ManifestRequest(HttpMethod.Head, repository, reference), attempts, ct);
        if (OciAnswers.IsSuccess(response))
            return DigestHeader(response) ?? (await GetManifestAsync(repository, reference, attempts, ct))?.Digest;
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null; // HEAD answers carry no body; a tag listed a moment ago and gone now is simply gone.
        throw OciAnswers.Failure(name, $"the manifest of {repository}:{reference}", response, null);
    }

    private async Task<string> PutManifestAsync(string repository, string tag, byte[] content, string mediaType, OperationAttempts attempts, CancellationToken ct)
    {
        using var response = await http.SendAsync(() => new(HttpMethod.Put, Manifest(repository, tag))
        {
            Content = new ByteArrayContent(content) { Headers = { ContentType = new(mediaType) } },
        }, attempts, ct);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            var error = await OciError.ReadAsync(response, ct);
            if (error?.Code == "MANIFEST_BLOB_UNKNOWN")
                _reposWithConfigBlob.TryRemove(repository, out _);
            throw OciAnswers.Failure(name, $"re-pointing {repository}:{tag}", response, error);
        }
        return DigestHeader(response) ?? ThrowawayManifest.Digest(content);
    }

    private enum DigestDeletion
    {
        Deleted,
        AlreadyGone,
        ServerError,
    }

    private async Task<DigestDeletion> DeleteDigestAsync(string repository, string digest, OperationAttempts attempts, CancellationToken ct, bool serverErrorIsAnswer = false)
    {
        using var response = await http.SendAsync(() => new(HttpMethod.Delete, Manifest(repository, digest)), attempts, ct, serverErrorIsAnswer);
        if (OciAnswers.IsSuccess(response))
            return DigestDeletion.Deleted;
        if (serverErrorIsAnswer && (int)response.StatusCode >= 500)
            return DigestDeletion.ServerError;
        var error = await OciError.ReadAsync(response, ct);
        if (OciAnswers.IsApiNotFound(response, error))
            return DigestDeletion.AlreadyGone;
        throw OciAnswers.Failure(name, $"the delete of {repository}@{digest}", response, error);
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
