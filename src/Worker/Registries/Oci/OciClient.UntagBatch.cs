using RegistryCleaner.Contracts;

namespace RegistryCleaner.Worker.Registries.Oci;

/// <summary>
/// The untag batch, for registries without the spec 1.1 tag delete: every tag of the batch is re-pointed at one
/// throw-away manifest unique to the batch, then ONE DELETE of that digest untags them all. distribution's digest delete
/// reads every tag link of the repository, so a delete per tag costs O(tags in the repository); a batch pays that once.
/// Exact: only tags this batch re-pointed point at its digest, so nothing else goes (siblings keep their digest, tags
/// pushed meanwhile point elsewhere).
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
        Exception? unexpected = null;
        try
        {
            foreach (var item in seal())
            {
                // A command given up (the worker stopping) is not re-pointed; its message goes back to the queue.
                if (item.Cancellation.IsCancellationRequested)
                    item.Outcome.TrySetCanceled(item.Cancellation);
                else
                    items.Add(item);
            }
            await UntagAsync(repository, items, recordOriginals, shared);
        }
        catch (Exception e)
        {
            unexpected = e;
        }
        finally
        {
            gate.Release();
        }
        foreach (var item in items)
        {
            if (commandAttempts is null)
                item.Attempts.Include(shared);
            if (unexpected is not null)
                item.Outcome.TrySetException(unexpected);
            else if (item.Failure is not null)
                item.Outcome.TrySetException(item.Failure);
            else
                item.Outcome.TrySetResult(DeletionResult.DeletedFrom(item.Digest, item.MediaType));
        }
    }

    /// <summary>The batch's requests; the caller holds the repository's gate.</summary>
    private async Task UntagAsync(string repository, List<UntagItem> items, bool recordOriginals, OperationAttempts shared)
    {
        if (items.Count == 0)
            return;
        try
        {
            await EnsureDigestDeleteAllowedAsync(repository, shared, CancellationToken.None);
            await EnsureConfigBlobAsync(repository, shared, CancellationToken.None);
        }
        catch (RegistryFailureException failure)
        {
            foreach (var item in items)
                item.Failure = failure; // nothing re-pointed yet
            return;
        }

        // A 404 for our own throw-away digest means an earlier DELETE removed the manifest but its answer was lost
        // (distribution fails that way while untagging, e.g. when another client writes to the repository): tags may
        // still be listed, so re-point and delete once more rather than report tags gone that are not. distribution
        // reports exactly that failure as a 500, so before the last round a 5xx goes straight to the next round.
        var live = items;
        for (var round = 1; live.Count > 0; round++)
        {
            var last = round == MaxThrowawayRounds;
            var throwaway = ThrowawayManifest.Create(recordOriginals ? live.Where(i => i.Digest is not null).Select(i => (i.Tag, i.Digest!)) : []);
            await Task.WhenAll(live.Select(item => RepointAsync(repository, item, throwaway)));
            live = live.Where(i => i.Failure is null).ToList();
            if (live.Count == 0)
                break;
            try
            {
                var deletion = await DeleteDigestAsync(repository, ThrowawayManifest.Digest(throwaway), shared, CancellationToken.None, serverErrorIsAnswer: !last);
                if (deletion == DigestDeletion.Deleted || last)
                    break;
            }
            catch (RegistryFailureException failure)
            {
                foreach (var item in live)
                    item.Failure = failure;
                break;
            }
        }
        foreach (var item in items.Where(i => i.Failure is not null && i.MayBeRepointed))
            item.Failure = await RestoreAsync(repository, item, item.Failure!);
    }

    private async Task RepointAsync(string repository, UntagItem item, byte[] throwaway)
    {
        item.MayBeRepointed = true;
        try
        {
            await PutManifestAsync(repository, item.Tag, throwaway, ThrowawayManifest.MediaType, item.Attempts, CancellationToken.None);
        }
        catch (RegistryFailureException failure)
        {
            item.Failure = failure;
        }
    }

    /// <summary>
    /// Puts the original manifest back under a tag whose command failed, so it is left as it was. A tag found on a throw-away
    /// manifest of an interrupted batch goes back to the digest that batch recorded, while the registry still has it.
    /// </summary>
    private async Task<RegistryFailureException> RestoreAsync(string repository, UntagItem item, RegistryFailureException failure)
    {
        try
        {
            var original = item.RestoreTo ?? (item.Digest is { } digest ? await GetManifestAsync(repository, digest, new OperationAttempts(), CancellationToken.None) : null);
            if (original is null)
                return new RegistryFailureException(failure.Kind, failure.Status,
                    $"{failure.Message} {repository}:{item.Tag} was found on a throw-away manifest of an interrupted delete, and its original manifest is unknown; send the command again to finish it.");
            await PutManifestAsync(repository, item.Tag, original.Content, original.MediaType, new OperationAttempts(), CancellationToken.None);
            return failure;
        }
        catch (Exception e) when (e is RegistryFailureException or HttpRequestException)
        {
            return new RegistryFailureException(failure.Kind, failure.Status,
                $"{failure.Message} Restoring {repository}:{item.Tag} to {item.Digest} also failed ({e.Message}); the tag points at a throw-away manifest until the command is re-driven.");
        }
    }

    /// <summary>One tag of a batch: its command's own attempts and outcome, and what the tag pointed at.</summary>
    private sealed class UntagItem
    {
        private UntagItem(string tag, OciManifest? restoreTo, string? digest, string? mediaType, OperationAttempts attempts, CancellationToken cancellation)
        {
            Tag = tag;
            RestoreTo = restoreTo;
            Digest = digest;
            MediaType = mediaType;
            Attempts = attempts;
            Cancellation = cancellation;
        }

        public string Tag { get; }

        /// <summary>The manifest to put back if the command fails; null for a tag found on a throw-away manifest.</summary>
        public OciManifest? RestoreTo { get; }

        public string? Digest { get; }
        public string? MediaType { get; }
        public OperationAttempts Attempts { get; }
        public CancellationToken Cancellation { get; }
        public TaskCompletionSource<DeletionResult> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>A re-pointing PUT was sent: if the command fails, the tag is put back.</summary>
        public bool MayBeRepointed { get; set; }

        public RegistryFailureException? Failure { get; set; }

        /// <summary>True for a tag left on a throw-away manifest by a worker that stopped mid-batch: the delete is finished.</summary>
        public bool Interrupted => RestoreTo is null;

        public static UntagItem Of(string tag, OciManifest current, OperationAttempts attempts, CancellationToken ct) =>
            ThrowawayManifest.IsThrowaway(current.Content)
                ? new UntagItem(tag, null, ThrowawayManifest.OriginalOf(current.Content, tag), null, attempts, ct)
                : new UntagItem(tag, current, current.Digest, current.MediaType, attempts, ct);
    }
}
