using System.Net;
using RegistryCleaner.Contracts;

namespace RegistryCleaner.Worker.Registries.Oci;

/// <summary>
/// Deleting on OCI. Every tag delete first reads what the tag points at (the digest for the result event, the manifest to
/// put back if the delete cannot finish). Then one <c>DELETE</c> of the tag where the registry has the spec 1.1 tag
/// delete; otherwise the tag joins its repository's next untag batch.
/// </summary>
public sealed partial class OciClient
{
    private static readonly TimeSpan CapabilityLifetime = TimeSpan.FromMinutes(10);
    private const int RepositoryReadsAtOnce = 16;
    private long _tagDeleteUnsupportedUntilTicks;
    private UntagBatcher<UntagItem>? _batcher;

    private UntagBatcher<UntagItem> Batcher => LazyInitializer.EnsureInitialized(ref _batcher,
        () => new UntagBatcher<UntagItem>(untagBatch, time, (repository, seal) => RunBatchAsync(repository, seal, recordOriginals: true, commandAttempts: null)));

    /// <summary>How many tag deletes of the repository wait in its open untag batch.</summary>
    internal int WaitingUntags(string repository) => _batcher?.Waiting(repository) ?? 0;

    public Task<DeletionResult> DeleteTagAsync(string repository, string tag, OperationAttempts attempts, CancellationToken ct) =>
        DeleteTagAsync(repository, tag, onlyIfDigest: null, beforeDelete: null, attempts, ct);

    /// <summary>
    /// <paramref name="onlyIfDigest"/> is compared with the digest the delete reads; from there on the batch re-points the tag
    /// only while it still holds that digest (the spec 1.1 tag delete has no condition: a push between the read and the
    /// DELETE is not seen).
    /// </summary>
    public async Task<DeletionResult> DeleteTagAsync(string repository, string tag, string? onlyIfDigest, Func<string, string?, Task<bool>>? beforeDelete,
        OperationAttempts attempts, CancellationToken ct)
    {
        var original = await GetManifestAsync(repository, tag, attempts, ct);
        if (original is null)
            return DeletionResult.AlreadyAbsent;
        EnsureValidDigest(repository, tag, original);
        // A tag found on a throw-away manifest (a worker stopped mid-batch) is judged by the image its batch recorded, if any.
        var item = UntagItem.Of(tag, original, attempts, keepManifest: true);
        if (onlyIfDigest is not null && item.Digest is { } held && !string.Equals(held, onlyIfDigest, StringComparison.Ordinal))
            throw new RegistryFailureException(FailureKind.Forbidden, null,
                $"Kept {repository}:{tag}: it points at {held}, not at {onlyIfDigest} as when it was condemned (pushed again since).");
        if (beforeDelete is not null && item.Digest is { } image && !await beforeDelete(image, item.MediaType))
            throw new RegistryFailureException(FailureKind.Internal, null,
                $"Kept {repository}:{tag}: the digest it points at ({image}) could not be written to the journal, so nothing was deleted.");
        if (!item.Interrupted && time.GetUtcNow().UtcTicks >= Volatile.Read(ref _tagDeleteUnsupportedUntilTicks)
            && await TryDeleteByTagAsync(repository, tag, original, attempts, ct) is { } done)
            return done;
        Batcher.Add(repository, item);
        try
        {
            return await item.Outcome.Task.WaitAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested && !item.TryWithdraw())
        {
            // A batch already holds the tag and may have re-pointed it: only the batch knows the outcome, and it is bounded.
            return await item.Outcome.Task;
        }
    }

    /// <summary>The spec 1.1 tag delete; null when the registry does not have it (distribution 2.8: 400 DIGEST_INVALID).</summary>
    private async Task<DeletionResult?> TryDeleteByTagAsync(string repository, string tag, OciManifest original, OperationAttempts attempts, CancellationToken ct)
    {
        using var response = await http.SendAsync(() => new(HttpMethod.Delete, Manifest(repository, tag)), attempts, ct);
        if (OciAnswers.IsSuccess(response))
            return DeletionResult.DeletedFrom(original.Digest, original.MediaType);
        var error = await OciError.ReadAsync(response, ct);
        if (OciAnswers.IsApiNotFound(response, error))
            return DeletionResult.AlreadyAbsent;
        if (response.StatusCode != HttpStatusCode.BadRequest || error?.Code is not ("DIGEST_INVALID" or "UNSUPPORTED"))
            throw OciAnswers.Failure(name, $"the delete of {repository}:{tag}", response, error);
        Volatile.Write(ref _tagDeleteUnsupportedUntilTicks, (time.GetUtcNow() + CapabilityLifetime).UtcTicks);
        return null;
    }

    /// <summary>
    /// OCI has no repository delete: a repository is gone when no tag is left. Every tag is untagged in one batch, with
    /// one DELETE in all (tags pushed meanwhile survive it, and are reported). Only digests are kept per tag, and at most
    /// <c>UntagBatch:MaxSize</c> PUTs are in flight, so memory stays small however big the repository.
    /// </summary>
    public async Task<DeletionResult> DeleteRepositoryAsync(string repository, bool deleteTagsFirst, OperationAttempts attempts, CancellationToken ct)
    {
        var tags = await ListTagNamesAsync(repository, attempts, ct);
        if (tags is null || tags.Count == 0)
            return new DeletionResult(DeletionOutcome.AlreadyAbsent, 0);

        var read = new UntagItem?[tags.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, tags.Count), new ParallelOptions { MaxDegreeOfParallelism = RepositoryReadsAtOnce, CancellationToken = ct }, async (i, token) =>
        {
            if (await GetManifestAsync(repository, tags[i], attempts, token) is { } original)
            {
                EnsureValidDigest(repository, tags[i], original);
                read[i] = UntagItem.Of(tags[i], original, attempts, keepManifest: false);
            }
        });
        var batch = read.OfType<UntagItem>().ToList();
        await RunBatchAsync(repository, () => batch, recordOriginals: false, commandAttempts: attempts);

        var failed = batch.Where(i => i.Failure is not null).ToList();
        if (failed.Count > 0)
        {
            var first = failed[0].Failure!;
            throw new RegistryFailureException(first.Kind, first.Status,
                $"{failed.Count} of {batch.Count} tag(s) of {repository} could not be deleted, and were left as they were (first: {failed[0].Tag}: {first.Message}) Send the command again to finish.");
        }
        var left = await ListTagNamesAsync(repository, attempts, ct);
        if (left is { Count: > 0 })
            throw new RegistryFailureException(FailureKind.RegistryError, null,
                $"Registry '{name}' still lists {left.Count} tag(s) in {repository} after deleting {batch.Count}: tags were pushed meanwhile. Send the command again to remove them.");
        var untagged = batch.Where(i => !i.FoundAbsent).ToList();
        return new DeletionResult(DeletionOutcome.Deleted, untagged.Count)
        {
            UntaggedTags = untagged.Select(i => new UntaggedTag(i.Tag, i.Digest ?? i.ReadDigest, i.MediaType)).ToList(),
        };
    }

    /// <summary>A digest from the registry goes into result events and throw-away manifests: it must follow the OCI grammar.</summary>
    private void EnsureValidDigest(string repository, string tag, OciManifest manifest)
    {
        if (!OciDigest.IsValid(manifest.Digest))
            throw new RegistryFailureException(FailureKind.RegistryError, null,
                $"Registry '{name}' answered the manifest of {repository}:{tag} with a Docker-Content-Digest that is not an OCI digest; nothing was done.");
    }
}
