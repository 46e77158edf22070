using RegistryCleaner.Contracts;

namespace RegistryCleaner.Worker.Registries.Oci;

/// <summary>
/// The untag batch, for registries without the spec 1.1 tag delete: every tag of the batch is re-pointed at one
/// throw-away manifest unique to the batch, then ONE DELETE of that digest untags them all. distribution's digest delete
/// reads every tag link of the repository, so a delete per tag costs O(tags in the repository); a batch pays that once.
/// Exact: a tag is re-pointed only while it still points where it did when read (checked just before its PUT), and
/// only tags this batch re-pointed point at its digest, so nothing else goes (siblings keep their digest, tags pushed
/// meanwhile point elsewhere).
/// </summary>
public sealed partial class OciClient
{
    private const int MaxThrowawayRounds = 3;

    /// <summary>
    /// Runs one batch once it may write to the repository, and settles every item (<see cref="UntagItem.Outcome"/>); never
    /// throws. The batch's shared requests (the deletion probe, the config blob, the DELETE) count towards every
    /// command's attempts.
    /// </summary>
    /// <param name="seal">Closes the batch to newcomers and returns its tags: called once the repository's gate is held.</param>
    /// <param name="commandAttempts">For a batch made by one command (a repository delete): its attempts, used for everything.</param>
    private async Task RunBatchAsync(string repository, Func<IReadOnlyList<UntagItem>> seal, bool recordOriginals, OperationAttempts? commandAttempts)
    {
        var gate = RepositoryGate(repository);
        await gate.WaitAsync();
        var items = new List<UntagItem>();
        var shared = commandAttempts ?? new OperationAttempts();
        try
        {
            foreach (var item in seal())
            {
                // A command given up before its batch took it (the worker stopping) is not re-pointed; its message goes back to the queue.
                if (item.TrySeal())
                    items.Add(item);
                else
                    item.Outcome.TrySetCanceled();
            }
            await UntagAsync(repository, items, recordOriginals, shared);
        }
        catch (Exception e)
        {
            // Not expected (every request's failure is its item's), but no item may be left on a throw-away manifest unreported.
            foreach (var item in items.Where(i => i.Failure is null))
                item.Failure = Unexpected(repository, item.Tag, e);
            await RestoreFailedAsync(repository, items, []);
        }
        finally
        {
            gate.Release();
        }
        foreach (var item in items)
        {
            if (commandAttempts is null)
                item.Attempts.Include(shared);
            if (item.Failure is not null)
                item.Outcome.TrySetException(item.Failure);
            else if (item.FoundAbsent)
                item.Outcome.TrySetResult(DeletionResult.AlreadyAbsent);
            else
                item.Outcome.TrySetResult(DeletionResult.DeletedFrom(item.Digest, item.MediaType));
        }
    }

    /// <summary>
    /// The batch's requests; the caller holds the repository's gate. Every failure is an item's failure. They are sent
    /// without a cancellation token, so that a stopping worker still finishes a batch it started; they are bounded by
    /// time instead: every send, answer body included, by <c>Retry:AttemptTimeout</c> (RegistryHttp), so a stalled
    /// registry fails the batch's commands rather than holding the gate and every later delete in the repository.
    /// </summary>
    private async Task UntagAsync(string repository, List<UntagItem> items, bool recordOriginals, OperationAttempts shared)
    {
        if (items.Count == 0)
            return;
        try
        {
            await EnsureDigestDeleteAllowedAsync(repository, shared, CancellationToken.None);
            await EnsureConfigBlobAsync(repository, shared, CancellationToken.None);
        }
        catch (Exception e)
        {
            foreach (var item in items)
                item.Failure = AsFailure("the batch's preparation", e); // nothing re-pointed yet
            return;
        }

        // Every throw-away digest of this batch: a tag on one of them was re-pointed by this batch, and by nothing else.
        var ours = new HashSet<string>(StringComparer.Ordinal);
        await RoundsAsync(repository, items, recordOriginals, shared, ours);
        await RestoreFailedAsync(repository, items, ours);
    }

    /// <summary>
    /// A 404 for our own throw-away digest means an earlier DELETE removed the manifest but its answer was lost
    /// (distribution fails that way while untagging, e.g. when another client writes to the repository): tags may
    /// still be listed, so re-point and delete once more rather than report tags gone that are not. distribution
    /// reports exactly that failure as a 500, so before the last round a 5xx goes straight to the next round; after the
    /// last round each tag is read, and one still on the throw-away manifest is not reported deleted.
    /// </summary>
    private async Task RoundsAsync(string repository, List<UntagItem> items, bool recordOriginals, OperationAttempts shared, HashSet<string> ours)
    {
        var live = items;
        string? previous = null;
        var configBlobUploadedAgain = false;
        for (var round = 1; live.Count > 0; round++)
        {
            var last = round == MaxThrowawayRounds;
            var throwaway = ThrowawayManifest.Create(recordOriginals ? live.Where(i => i.Digest is not null).Select(i => (i.Tag, i.Digest!)) : []);
            var digest = ThrowawayManifest.Digest(throwaway);
            ours.Add(digest);
            await RepointAllAsync(repository, live, throwaway, previous);
            if (!configBlobUploadedAgain && live.Where(i => i.ConfigBlobMissing).ToList() is { Count: > 0 } missing)
            {
                // Someone removed the config blob (a garbage collection, a blob delete): upload it again, and re-point those tags once more.
                configBlobUploadedAgain = true;
                if (await TryUploadConfigBlobAgainAsync(repository, missing, shared))
                    await RepointAllAsync(repository, missing, throwaway, previous);
            }
            // A tag whose re-pointing failed may still have been re-pointed (the answer lost, say): it goes back now, before
            // the DELETE, which would otherwise take it with the others.
            await RestoreFailedAsync(repository, live, ours);
            live = live.Where(i => i.Failure is null && !i.FoundAbsent).ToList();
            if (live.Count == 0)
                break;
            try
            {
                var deletion = await DeleteDigestAsync(repository, digest, shared, CancellationToken.None, serverErrorIsAnswer: !last);
                if (deletion == DigestDeletion.Deleted)
                    break;
                if (last)
                {
                    await ConfirmUntaggedAsync(repository, live, digest);
                    break;
                }
                previous = digest;
            }
            catch (Exception e)
            {
                foreach (var item in live)
                    item.Failure = AsFailure($"the delete of {repository}@{digest}", e);
                break;
            }
        }
    }

    private async Task RepointAllAsync(string repository, List<UntagItem> items, byte[] throwaway, string? previous) =>
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = untagBatch.MaxSize },
            async (item, _) => await RepointAsync(repository, item, throwaway, previous));

    /// <summary>
    /// Re-points one tag, if it still points where it did when read (or, from the second round on, at the previous round's
    /// throw-away manifest, or nowhere after a half-done DELETE). A tag changed meanwhile is left alone and its command
    /// fails <see cref="FailureKind.Forbidden"/>: the worker does not untag an image it was not asked about.
    /// </summary>
    private async Task RepointAsync(string repository, UntagItem item, byte[] throwaway, string? previous)
    {
        item.ConfigBlobMissing = false;
        try
        {
            var now = await TagDigestAsync(repository, item.Tag, item.Attempts);
            if (now is null && previous is null)
            {
                item.FoundAbsent = true;
                return;
            }
            if (now is not null && now != item.ReadDigest && now != previous)
            {
                item.Failure = new RegistryFailureException(FailureKind.Forbidden, null,
                    $"{repository}:{item.Tag} changed since it was read (it pointed at {item.ReadDigest}, now at {now}); nothing done. Send the command again to delete the tag as it is now.");
                return;
            }
            item.PutSent = true;
            if (!await TryPutManifestAsync(repository, item.Tag, throwaway, ThrowawayManifest.MediaType, item.Attempts, CancellationToken.None))
            {
                item.ConfigBlobMissing = true;
                item.Failure = new RegistryFailureException(FailureKind.RegistryError, 400,
                    $"Registry '{name}' refused re-pointing {repository}:{item.Tag}: the throw-away manifest's config blob is unknown to it or unreadable (MANIFEST_BLOB_UNKNOWN or DIGEST_INVALID), also after uploading it again.");
            }
        }
        catch (Exception e)
        {
            item.Failure = AsFailure($"re-pointing {repository}:{item.Tag}", e);
        }
    }

    private async Task<bool> TryUploadConfigBlobAgainAsync(string repository, List<UntagItem> missing, OperationAttempts shared)
    {
        try
        {
            await UploadConfigBlobAsync(repository, shared, CancellationToken.None, checkFirst: false);
            foreach (var item in missing)
                item.Failure = null;
            return true;
        }
        catch (Exception e)
        {
            foreach (var item in missing)
                item.Failure = AsFailure($"uploading the throw-away config blob to {repository} again", e);
            return false;
        }
    }

    /// <summary>The last round's DELETE answered 404 (after a retried 5xx, say): a tag is deleted only if it no longer points at the throw-away manifest.</summary>
    private async Task ConfirmUntaggedAsync(string repository, List<UntagItem> live, string digest)
    {
        await Parallel.ForEachAsync(live, new ParallelOptions { MaxDegreeOfParallelism = untagBatch.MaxSize }, async (item, _) =>
        {
            try
            {
                if (await TagDigestAsync(repository, item.Tag, item.Attempts) == digest)
                    item.Failure = new RegistryFailureException(FailureKind.RetriesExhausted, item.Attempts.LastStatus,
                        $"Registry '{name}' answered the delete of {repository}@{digest} with 404 after retrying, and {repository}:{item.Tag} still points at it; the command is kept for re-drive.");
            }
            catch (Exception e)
            {
                item.Failure = AsFailure($"reading {repository}:{item.Tag} after its delete", e);
            }
        });
    }

    private async Task RestoreFailedAsync(string repository, List<UntagItem> items, HashSet<string> ours)
    {
        foreach (var item in items.Where(i => i.Failure is not null && i.PutSent))
        {
            item.Failure = await RestoreAsync(repository, item, item.Failure!, ours);
            item.PutSent = false; // one attempt: a restore that failed says so in the failure
        }
    }

    /// <summary>
    /// Puts the original manifest back under a tag whose command failed, if the tag still points at one of this batch's
    /// throw-away manifests (otherwise someone wrote it meanwhile, and it is theirs). A tag found on a throw-away manifest
    /// of an interrupted batch goes back to the digest that batch recorded, while the registry still has it.
    /// </summary>
    private async Task<RegistryFailureException> RestoreAsync(string repository, UntagItem item, RegistryFailureException failure, HashSet<string> ours)
    {
        try
        {
            var now = await TagDigestAsync(repository, item.Tag, item.Attempts);
            if (now is null)
                return Amended(failure, $"{repository}:{item.Tag} is no longer there, so it was not put back.");
            if (now == item.ReadDigest)
                return failure; // the re-pointing never took effect: the tag is as it was
            if (!ours.Contains(now))
                return Amended(failure, $"{repository}:{item.Tag} now points at {now}, written by someone else meanwhile; it was left as it is.");
            var original = item.RestoreTo ?? (item.Digest is { } digest ? await GetManifestAsync(repository, digest, item.Attempts, CancellationToken.None) : null);
            if (original is null)
                return Amended(failure, $"{repository}:{item.Tag} was found on a throw-away manifest of an interrupted delete, and its original manifest is unknown; send the command again to finish it.");
            await PutManifestAsync(repository, item.Tag, original.Content, original.MediaType, item.Attempts, CancellationToken.None);
            return failure;
        }
        catch (Exception e)
        {
            return Amended(failure, $"Restoring {repository}:{item.Tag} to {item.Digest} also failed ({Describe(e)}); the tag may point at a throw-away manifest (or be gone with the batch's DELETE) until the command is re-driven, which finishes the delete.");
        }
    }

    private static RegistryFailureException Amended(RegistryFailureException failure, string addition) =>
        new(failure.Kind, failure.Status, $"{failure.Message} {addition}");

    /// <summary>A request of the batch failed: a registry answer keeps its kind; anything else (a body that could not be read) is the item's failure too.</summary>
    private RegistryFailureException AsFailure(string action, Exception e) =>
        e as RegistryFailureException ?? new RegistryFailureException(FailureKind.RetriesExhausted, null,
            $"Registry '{name}': {action} failed ({Describe(e)}); the command is kept for re-drive.");

    private RegistryFailureException Unexpected(string repository, string tag, Exception e) =>
        new(FailureKind.Internal, null, $"The untag batch of {repository} failed unexpectedly ({Describe(e)}) for {tag}; the command is kept for re-drive.");

    private static string Describe(Exception e) => e is RegistryFailureException ? e.Message : e.GetType().Name;
}
