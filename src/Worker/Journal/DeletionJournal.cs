using RegistryCleaner.Worker.Registries;
using Microsoft.Extensions.Logging;
using RegistryCleaner.Contracts;

namespace RegistryCleaner.Worker.Journal;

/// <summary>
/// Writes intents and outcomes for the consumers. A write that fails is logged and answered null or false: the caller then
/// does not call the registry (intent) or does not report success (outcome).
/// </summary>
public sealed class DeletionJournal(IJournalStore store, TimeProvider time, ILogger<DeletionJournal> log)
{
    public IJournalStore Store => store;

    public async Task<JournalRecord?> BeginAsync(JournalRecord intent, CancellationToken ct)
    {
        try
        {
            return await store.BeginAsync(intent with { Id = intent.Id == Guid.Empty ? Guid.NewGuid() : intent.Id, RecordedAt = time.GetUtcNow() }, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            log.LogError("The journal could not record the intent of {Action} {Registry}/{Repository}:{Tag} (request {RequestId}): {Error}",
                intent.Action, intent.Registry, intent.Repository, intent.Tag, intent.RequestId, Describe(e));
            return null;
        }
    }

    /// <summary>False (logged) when the digest could not be written: the caller then leaves the registry as it is.</summary>
    public async Task<bool> NoteDigestAsync(JournalRecord pending, string digest, string? mediaType, CancellationToken ct)
    {
        try
        {
            await store.NoteDigestAsync(pending, digest, mediaType, ct);
            return true;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            log.LogError("The journal could not record the digest {Digest} of {Registry}/{Repository}:{Tag} before its delete (request {RequestId}): {Error}",
                digest, pending.Registry, pending.Repository, pending.Tag, pending.RequestId, Describe(e));
            return false;
        }
    }

    public async Task<bool> CompleteAsync(JournalRecord entry, JournalOutcome outcome, string? digest, string? mediaType, string? detail, CancellationToken ct,
        long? bytesFreed = null)
    {
        try
        {
            await store.CompleteAsync(entry with
            {
                Outcome = outcome,
                Digest = digest,
                MediaType = mediaType,
                Detail = detail,
                BytesFreed = bytesFreed,
                CompletedAt = time.GetUtcNow(),
            }, CancellationToken.None); // the registry call has happened: its record is written even while the worker stops
            return true;
        }
        catch (Exception e)
        {
            log.LogError("The journal could not record the outcome {Outcome} of {Action} {Registry}/{Repository}:{Tag} (request {RequestId}, digest {Digest}): {Error}",
                outcome, entry.Action, entry.Registry, entry.Repository, entry.Tag, entry.RequestId, digest, Describe(e));
            return false;
        }
    }

    /// <summary>
    /// Records each tag a repository deletion untagged as a tag deletion of the same request, so that restore (by request)
    /// and reclaim find them. False when any could not be recorded.
    /// </summary>
    public async Task<bool> RecordUntaggedAsync(JournalRecord repositoryEntry, IReadOnlyList<UntaggedTag> untagged, CancellationToken ct)
    {
        foreach (var tag in untagged)
        {
            var intent = repositoryEntry with { Id = Guid.Empty, Sequence = 0, Action = JournalAction.DeleteTag, Tag = tag.Tag, Digest = null, MediaType = null, Outcome = JournalOutcome.Pending, CompletedAt = null };
            if (await BeginAsync(intent, ct) is not { } entry || !await CompleteAsync(entry, JournalOutcome.Deleted, tag.Digest, tag.MediaType, null, ct))
                return false;
        }
        return true;
    }

    /// <summary>The exception's type and message only: database drivers do not put passwords there, and stack traces add nothing here.</summary>
    private static string Describe(Exception e) => $"{e.GetType().Name}: {e.Message}";
}
