using System.Collections.Concurrent;
using System.Net;
using RegistryCleaner.Common;
using RegistryCleaner.Contracts;
namespace RegistryCleaner.Worker.Registries.Oci;

/// <summary>The requests an untag batch is made of, and the per-repository gate that keeps its DELETE apart from manifest writes.</summary>
public sealed partial class OciClient
{
    private readonly ConcurrentDictionary<string, bool> _reposWithConfigBlob = new(StringComparer.Ordinal);
    private readonly StripedGates _repositoryGates = new();
    private long _digestDeleteAllowedUntilTicks;

    /// <summary>
    /// Writes to one repository (the config blob, re-pointing, restoring), one batch at a time, and never beside its DELETE. distribution's digest delete
    /// reads every tag link of the repository, and a link that a concurrent PUT is rewriting reads torn: the delete then
    /// fails half done (500, tags left dangling). Batches of different repositories still run side by side (a fixed set
    /// of gates, shared by repositories whose names hash alike, so that memory stays bounded however many there are).
    /// </summary>
    internal SemaphoreSlim RepositoryGate(string repository) => _repositoryGates.For(repository);

    private async Task EnsureDigestDeleteAllowedAsync(string repository, OperationAttempts attempts, CancellationToken ct)
    {
        if (time.GetUtcNow().UtcTicks < Volatile.Read(ref _digestDeleteAllowedUntilTicks))
            return;
        // A digest no manifest can have: the answer tells whether deletion is enabled, and deletes nothing.
        var probe = Manifest(repository, ThrowawayManifest.Digest("registry-cleaner deletion probe"u8.ToArray()));
        using var response = await http.SendAsync(() => new(HttpMethod.Delete, probe), attempts, ct);
        var error = await OciError.ReadAsync(response, ct);
        if (response.StatusCode != HttpStatusCode.NotFound || error is null)
            throw OciAnswers.Failure(name, $"deletion in {repository}", response, error);
        Volatile.Write(ref _digestDeleteAllowedUntilTicks, (time.GetUtcNow() + CapabilityLifetime).UtcTicks);
    }

    /// <summary>
    /// Called with the repository's gate held, so one upload per repository at a time: distribution's storage commits
    /// concurrent uploads of the same blob badly, and manifests referring to it are then refused (400 DIGEST_INVALID).
    /// </summary>
    private async Task EnsureConfigBlobAsync(string repository, OperationAttempts attempts, CancellationToken ct)
    {
        if (!_reposWithConfigBlob.ContainsKey(repository))
            await UploadConfigBlobAsync(repository, attempts, ct);
    }

    /// <param name="checkFirst">False after a manifest PUT was refused for the blob: the registry's HEAD may still answer
    /// 200 from a cache, so upload without asking.</param>
    private async Task UploadConfigBlobAsync(string repository, OperationAttempts attempts, CancellationToken ct, bool checkFirst = true)
    {
        var blob = new Uri(_base, $"v2/{repository}/blobs/{ThrowawayManifest.ConfigDigest}");
        if (checkFirst)
        {
            using var head = await http.SendAsync(() => new(HttpMethod.Head, blob), attempts, ct);
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

    private async Task PutManifestAsync(string repository, string tag, byte[] content, string mediaType, OperationAttempts attempts, CancellationToken ct)
    {
        if (!await TryPutManifestAsync(repository, tag, content, mediaType, attempts, ct))
            throw new RegistryFailureException(FailureKind.RegistryError, 400,
                $"Registry '{name}' refused writing {repository}:{tag}: a blob the manifest refers to is unknown to it or unreadable (MANIFEST_BLOB_UNKNOWN or DIGEST_INVALID).");
    }

    /// <summary>
    /// Writes a manifest under a tag; false when the registry lacks a blob it refers to (MANIFEST_BLOB_UNKNOWN) or holds it
    /// torn (DIGEST_INVALID: another worker process uploaded the same blob at the same time, which distribution commits badly).
    /// </summary>
    private async Task<bool> TryPutManifestAsync(string repository, string tag, byte[] content, string mediaType, OperationAttempts attempts, CancellationToken ct)
    {
        using var response = await http.SendAsync(() => new(HttpMethod.Put, Manifest(repository, tag))
        {
            Content = new ByteArrayContent(content) { Headers = { ContentType = new(mediaType) } },
        }, attempts, ct);
        if (response.StatusCode == HttpStatusCode.Created)
            return true;
        var error = await OciError.ReadAsync(response, ct);
        if (error?.Code is not ("MANIFEST_BLOB_UNKNOWN" or "DIGEST_INVALID"))
            throw OciAnswers.Failure(name, $"writing {repository}:{tag}", response, error);
        _reposWithConfigBlob.TryRemove(repository, out _);
        return false;
    }

    /// <summary>The digest a tag points at now (HEAD, the digest header; a GET where the registry omits it); null when the tag is gone.</summary>
    private async Task<string?> TagDigestAsync(string repository, string tag, OperationAttempts attempts)
    {
        using (var response = await http.SendAsync(() => _reader.ManifestRequest(HttpMethod.Head, repository, tag), attempts, CancellationToken.None))
        {
            if (OciAnswers.IsSuccess(response) && OciImageReader.DigestHeader(response) is { } digest)
                return digest;
            // A HEAD's 404 has no body to tell the API's from a proxy's: the GET below decides, null only on the API's own 404.
            if (response.StatusCode != HttpStatusCode.NotFound && !OciAnswers.IsSuccess(response))
                throw OciAnswers.Failure(name, $"reading {repository}:{tag}", response, null);
        }
        return (await GetManifestAsync(repository, tag, attempts, CancellationToken.None))?.Digest;
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
}
