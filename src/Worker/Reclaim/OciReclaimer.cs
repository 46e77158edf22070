using Microsoft.Extensions.Logging;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Journal;
using RegistryCleaner.Worker.Messaging;
using RegistryCleaner.Worker.Registries;
using RegistryCleaner.Worker.Registries.Oci;

namespace RegistryCleaner.Worker.Reclaim;

/// <summary>
/// Reclaims one repository of an OCI registry: each digest whose tags this worker deleted and that nothing points to any
/// more is deleted by digest, with its referrers (OCI 1.1 referrers API, else cosign's tag scheme) and the platform
/// manifests of an index that nothing else lists. The registry's own garbage collection then frees the blobs.
/// </summary>
public sealed class OciReclaimer(DeletionJournal journal, TimeProvider time, ILogger log)
{
    private static readonly TimeSpan ClaimLease = DigestClaims.Lease;

    /// <param name="Before">The cut-off: deletions completed before it are past the grace window.</param>
    public sealed record Run(Guid RunId, bool DryRun, string Owner, DateTimeOffset Before, Func<DigestReclaimed, Task> Publish);

    public sealed class Tally
    {
        public int Reclaimed;
        public int Kept;
        public int Skipped;
        public int Failed;
        public long BytesFreed;
    }

    public async Task ReclaimAsync(OciManifests registry, string repository, IReadOnlyList<JournalRecord> deletions, Run run, Tally tally, CancellationToken ct)
    {
        var attempts = new OperationAttempts();
        var candidates = deletions.Select(d => d.Digest!).ToHashSet(StringComparer.Ordinal);
        var state = await RepositoryState.ReadAsync(registry, repository, candidates, attempts, ct);
        var counted = new HashSet<string>(state.KeptBlobs, StringComparer.Ordinal);
        foreach (var digest in candidates)
        {
            var tags = deletions.Where(d => d.Digest == digest).Select(d => d.Tag!).Distinct().Order(StringComparer.Ordinal).ToList();
            try
            {
                await ReclaimDigestAsync(registry, repository, digest, tags, state, counted, run, tally, ct);
            }
            catch (RegistryFailureException e)
            {
                tally.Failed++;
                log.LogWarning("Reclaim of {Registry}/{Repository}@{Digest} failed: {Detail}", registry.Registry, repository, digest, e.Message);
                await journal.Store.ReleaseAsync(registry.Registry, repository, digest, run.Owner, CancellationToken.None);
            }
            catch (Exception e) when (UnexpectedFailure.Is(e, ct))
            {
                tally.Failed++;
                log.LogError(e, "Reclaim of {Registry}/{Repository}@{Digest} failed unexpectedly (run {RunId})", registry.Registry, repository, digest, run.RunId);
                await journal.Store.ReleaseAsync(registry.Registry, repository, digest, run.Owner, CancellationToken.None);
            }
        }
    }

    private async Task ReclaimDigestAsync(OciManifests registry, string repository, string digest, List<string> tags, RepositoryState state,
        HashSet<string> counted, Run run, Tally tally, CancellationToken ct)
    {
        var attempts = new OperationAttempts();
        if (state.Kept.Contains(digest))
        {
            var by = state.Tags.Where(t => t.Value == digest).Select(t => t.Key).FirstOrDefault();
            await KeepAsync(registry.Registry, repository, digest, run, by is null ? "a tagged index still lists it" : $"tag {by} points at it again", tally, ct);
            return;
        }
        if (!await journal.Store.TryClaimAsync(registry.Registry, repository, digest, run.Owner, time.GetUtcNow(), ClaimLease, ct))
        {
            tally.Skipped++;
            return;
        }

        var manifest = await registry.GetAsync(repository, digest, attempts, ct);
        var entry = run.DryRun ? null : await journal.BeginAsync(new JournalRecord
        {
            Action = JournalAction.ReclaimDigest, Registry = registry.Registry, Repository = repository, Digest = digest, MediaType = manifest?.MediaType,
            RequestId = run.RunId, RunId = run.RunId, RequestedBy = "reclaim",
        }, ct);
        if (!run.DryRun && entry is null)
        {
            tally.Failed++;
            await journal.Store.ReleaseAsync(registry.Registry, repository, digest, run.Owner, CancellationToken.None);
            return;
        }
        if (manifest is null)
        {
            // Gone already (deleted outside this worker): nothing to delete, nothing left to restore.
            await FinishAsync(registry.Registry, repository, digest, entry, run, tally, 0, "the registry no longer held it", ct);
            return;
        }

        List<(OciManifest Manifest, string Why)> extras;
        List<string> putBack = [];
        var deletedSince = false;
        long bytes = 0;
        try
        {
            extras = await ExtrasAsync(registry, repository, digest, manifest, state, attempts, ct);
            foreach (var (blob, size) in new[] { manifest }.Concat(extras.Select(e => e.Manifest)).SelectMany(m => m.Blobs()))
            {
                if (counted.Add(blob))
                    bytes += size;
            }
            if (run.DryRun)
            {
                await journal.Store.ReleaseAsync(registry.Registry, repository, digest, run.Owner, CancellationToken.None);
                await run.Publish(Event(registry.Registry, repository, digest, manifest.MediaType, tags, extras.Select(e => e.Manifest.Digest).ToList(), bytes, run));
                tally.Reclaimed++;
                tally.BytesFreed += bytes;
                return;
            }

            var before = await registry.TagsAsync(repository, attempts, ct) ?? [];
            // Asked after that listing: a tag deleted since the run read the journal wrote its digest before its DELETE, so
            // one gone from the listing is seen here, and one deleted later is in the listing and put back below.
            deletedSince = await journal.Store.DeletedSinceAsync(registry.Registry, repository, digest, run.Before, ct);
            if (!deletedSince)
            {
                await registry.DeleteAsync(repository, digest, attempts, ct);
                putBack = await PutBackLostTagsAsync(registry, repository, manifest, before, state, attempts, ct);
                if (putBack.Count == 0)
                {
                    foreach (var extra in extras)
                        await registry.DeleteAsync(repository, extra.Manifest.Digest, attempts, ct);
                }
            }
        }
        catch (Exception e) when (entry is not null && (e is RegistryFailureException || UnexpectedFailure.Is(e, ct)))
        {
            // The row opened for this digest says how it ended; the caller counts the failure and frees the digest.
            var detail = e is RegistryFailureException ? e.Message : $"{UnexpectedFailure.Describe(e)}; see the worker's log.";
            await journal.CompleteAsync(entry, JournalOutcome.Failed, digest, manifest.MediaType, detail, ct);
            throw;
        }

        var also = extras.Select(e => e.Manifest.Digest).ToList();
        if (putBack.Count > 0 || deletedSince)
        {
            var detail = deletedSince
                ? "another tag of it was deleted less than Reclaim:After ago: kept until that deletion's window is over"
                : $"tag(s) {string.Join(", ", putBack)} were pushed at this digest during the reclaim: put back from the saved manifest, and the digest kept";
            await journal.CompleteAsync(entry!, JournalOutcome.Kept, digest, manifest.MediaType, detail, ct);
            await journal.Store.MarkAsync(registry.Registry, repository, digest, DigestState.Kept, time.GetUtcNow(), run.Owner, CancellationToken.None);
            log.LogWarning("Reclaim of {Registry}/{Repository}@{Digest}: {Detail}", registry.Registry, repository, digest, detail);
            tally.Kept++;
            return;
        }
        await FinishAsync(registry.Registry, repository, digest, entry, run, tally, bytes, also.Count == 0 ? null : $"with {string.Join(", ", extras.Select(e => $"{e.Why} {e.Manifest.Digest}"))}", ct);
        await run.Publish(Event(registry.Registry, repository, digest, manifest.MediaType, tags, also, bytes, run));
    }

    /// <summary>What goes with the digest: its referrers, and the platform manifests of an index that nothing kept lists.</summary>
    private static async Task<List<(OciManifest Manifest, string Why)>> ExtrasAsync(OciManifests registry, string repository, string digest, OciManifest manifest,
        RepositoryState state, OperationAttempts attempts, CancellationToken ct)
    {
        var extras = new List<(OciManifest, string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { digest };
        async Task AddAsync(string child, string why)
        {
            if (state.Kept.Contains(child) || !seen.Add(child))
                return;
            if (await registry.GetAsync(repository, child, attempts, ct) is { } found)
                extras.Add((found, why));
        }
        var referrers = await registry.ReferrersAsync(repository, digest, attempts, ct) ?? [];
        foreach (var referrer in referrers)
            await AddAsync(referrer, "referrer");
        foreach (var (_, attached) in state.CosignTagsOf(digest))
            await AddAsync(attached, "cosign signature/attestation");
        foreach (var platform in manifest.Manifests())
            await AddAsync(platform, "platform manifest");
        return extras;
    }

    /// <summary>
    /// On distribution a DELETE by digest also removes every tag on that digest. A tag listed just before the DELETE and
    /// gone after it, or one that appeared since the reclaim began and now answers 404, was pushed at this digest during
    /// the reclaim: it is put back from the manifest saved before the delete.
    /// </summary>
    private static async Task<List<string>> PutBackLostTagsAsync(OciManifests registry, string repository, OciManifest saved, List<string> before,
        RepositoryState state, OperationAttempts attempts, CancellationToken ct)
    {
        var after = await registry.TagsAsync(repository, attempts, ct) ?? [];
        var lost = before.Except(after, StringComparer.Ordinal).ToList();
        foreach (var appeared in after.Where(t => !state.Tags.ContainsKey(t) && !lost.Contains(t)))
        {
            if (await registry.ResolveAsync(repository, appeared, attempts, ct) is null)
                lost.Add(appeared);
        }
        foreach (var tag in lost)
            await registry.PutAsync(repository, tag, saved, attempts, ct);
        return lost;
    }

    private async Task KeepAsync(string registry, string repository, string digest, Run run, string why, Tally tally, CancellationToken ct)
    {
        tally.Kept++;
        if (run.DryRun)
            return;
        var entry = await journal.BeginAsync(new JournalRecord
        {
            Action = JournalAction.ReclaimDigest, Registry = registry, Repository = repository, Digest = digest, RequestId = run.RunId, RunId = run.RunId, RequestedBy = "reclaim",
        }, ct);
        if (entry is not null)
            await journal.CompleteAsync(entry, JournalOutcome.Kept, digest, null, why, ct);
        await journal.Store.MarkAsync(registry, repository, digest, DigestState.Kept, time.GetUtcNow(), run.Owner, CancellationToken.None);
    }

    private async Task FinishAsync(string registry, string repository, string digest, JournalRecord? entry, Run run, Tally tally, long bytes, string? detail, CancellationToken ct)
    {
        if (entry is not null)
            await journal.CompleteAsync(entry, JournalOutcome.Reclaimed, digest, null, detail, ct, bytes);
        await journal.Store.MarkAsync(registry, repository, digest, DigestState.Reclaimed, time.GetUtcNow(), run.Owner, CancellationToken.None);
        tally.Reclaimed++;
        tally.BytesFreed += bytes;
    }

    private DigestReclaimed Event(string registry, string repository, string digest, string? mediaType, List<string> tags, List<string> also, long bytes, Run run) => new()
    {
        RunId = run.RunId,
        Registry = registry,
        Repository = repository,
        Digest = digest,
        MediaType = mediaType,
        Tags = tags,
        AlsoDeleted = also,
        BytesFreed = bytes,
        DryRun = run.DryRun,
        ReclaimedAt = time.GetUtcNow(),
    };
}
