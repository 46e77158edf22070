using MassTransit;
using Microsoft.Extensions.Logging;
using RegistryCleaner.Common.Messaging;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Deletion;
using RegistryCleaner.Worker.Journal;
using RegistryCleaner.Worker.Messaging;
using RegistryCleaner.Worker.PlainJson;
using RegistryCleaner.Worker.Registries;
using RegistryCleaner.Worker.Registries.Oci;

namespace RegistryCleaner.Worker.Restore;

/// <summary>
/// Puts a deleted tag back at the digest the journal recorded, while the registry still holds that manifest. Never
/// overwrites: a tag that exists now, wherever it points, is refused. Journaled and published like a deletion.
/// </summary>
public sealed class RestoreTagConsumer(CommandValidator validator, DeletionJournal journal, TimeProvider time, ILogger<RestoreTagConsumer> log)
    : IConsumer<RestoreTag>
{

    public async Task Consume(ConsumeContext<RestoreTag> context)
    {
        var command = context.Message;
        var publisher = context.VerifiedPublisher();
        var report = new RestoreReport(context, command, publisher, time, log);
        try
        {
            await RestoreAsync(context, command, publisher, report);
        }
        catch (Exception e) when (UnexpectedFailure.Is(e, context.CancellationToken))
        {
            // Reading the journal, say; the registry calls catch their own failures and complete the restore's journal row.
            log.LogError(e, "Unexpected failure restoring a tag (request {RequestId})", command.RequestId);
            await report.FailedAsync(RestoreFailure.Internal, $"{UnexpectedFailure.Describe(e)}; see the worker's log.", null);
        }
    }

    private async Task RestoreAsync(ConsumeContext<RestoreTag> context, RestoreTag command, string? publisher, RestoreReport report)
    {
        if (PlainJsonRefusal.Of(context) is { } invalid)
        {
            await report.FailedAsync(RestoreFailure.Rejected, invalid, null);
            return;
        }
        var (client, refusal) = validator.Check(command, publisher);
        if (client is not null)
            report.Resolved(client);
        if (refusal is not null || client is null)
        {
            await report.FailedAsync(RestoreFailureOf(refusal?.Kind ?? FailureKind.Rejected), refusal?.Detail ?? "Invalid command.", null);
            return;
        }
        if (client is not OciClient oci)
        {
            await report.FailedAsync(RestoreFailure.NotRestorable, NotRestorableOn(client.Kind), null);
            return;
        }

        var deletion = await RestorableDeletionAsync(client.Name, command, context.CancellationToken);
        if (deletion is null)
        {
            var which = command.DeletionRequestId is { } id ? $"deletion request {id}" : "any deletion";
            await report.FailedAsync(RestoreFailure.NotInJournal,
                $"The journal holds no completed deletion of {client.Name}/{command.Repository}:{command.Tag} with a recorded digest ({which}); nothing was sent to the registry.", null);
            return;
        }
        var digest = deletion.Digest!;
        if (await journal.Store.MarkOfAsync(client.Name, command.Repository, digest, context.CancellationToken) is { ReclaimedAt: { } reclaimedAt })
        {
            await report.FailedAsync(RestoreFailure.Reclaimed, $"Not restorable: {digest} was reclaimed at {reclaimedAt:yyyy-MM-dd HH:mm:ss} UTC.", digest);
            return;
        }

        var entry = await journal.BeginAsync(RestoreEcho.JournalEntry(command, publisher) with
        {
            Action = JournalAction.RestoreTag,
            Registry = client.Name,
            Digest = digest,
            MediaType = deletion.MediaType,
        }, context.CancellationToken);
        if (entry is null)
        {
            await report.FailedAsync(RestoreFailure.Internal, "The journal could not record this restore, so nothing was sent to the registry.", digest);
            return;
        }

        var attempts = new OperationAttempts();
        var (outcome, failure, detail) = await PutBackClaimedAsync(oci.Manifests, command, digest, attempts, context.CancellationToken);
        var journaled = await journal.CompleteAsync(entry, outcome, digest, null, detail, context.CancellationToken);
        if (failure is not null)
            await report.FailedAsync(failure.Value, detail!, digest, attempts.LastStatus);
        else if (!journaled)
            await report.FailedAsync(RestoreFailure.Internal, $"The tag was put back at {digest}, but the journal could not record it.", digest);
        else
            await report.RestoredAsync(digest, deletion.RequestId, attempts);
    }

    /// <summary>
    /// A restore holds the digest's claim, as a reclaim does, while it checks and puts the tag back: a reclaim that listed
    /// the repository before the tag came back would otherwise delete the digest, and the restored tag with it.
    /// </summary>
    private async Task<(JournalOutcome, RestoreFailure?, string?)> PutBackClaimedAsync(OciManifests registry, RestoreTag command, string digest,
        OperationAttempts attempts, CancellationToken ct)
    {
        if (command.DryRun)
            return await PutBackAsync(registry, command, digest, attempts, ct);
        var owner = $"restore:{Environment.MachineName}:{Environment.ProcessId}:{command.RequestId}";
        try
        {
            return await RestoreClaim.HoldingAsync(journal, time, log, registry.Registry, command.Repository, digest, owner,
                    () => PutBackAsync(registry, command, digest, attempts, ct), ct)
                ?? (JournalOutcome.Failed, RestoreFailure.NotRestorable,
                    $"A reclaim, or a restore on another worker, holds {digest} in {command.Repository} (a reclaim deletes it; one that was "
                    + $"interrupted holds it for at most {DigestClaims.Lease.TotalMinutes:0} minutes); nothing was put back. Try again later: once a reclaim is done, the manifest may be gone.");
        }
        catch (Exception e) when (UnexpectedFailure.Is(e, ct))
        {
            log.LogError(e, "The journal could not claim {Digest} for restoring {Registry}/{Repository}:{Tag} (request {RequestId})",
                digest, registry.Registry, command.Repository, command.Tag, command.RequestId);
            return (JournalOutcome.Failed, RestoreFailure.Internal, $"{UnexpectedFailure.Describe(e)} claiming the digest in the journal; nothing was put back.");
        }
    }

    private async Task<(JournalOutcome, RestoreFailure?, string?)> PutBackAsync(OciManifests registry, RestoreTag command, string digest,
        OperationAttempts attempts, CancellationToken ct)
    {
        try
        {
            if (await registry.ResolveAsync(command.Repository, command.Tag, attempts, ct) is { } current)
            {
                var where = current == digest ? "at the same digest" : $"at {current}";
                return (JournalOutcome.Failed, RestoreFailure.TagExists, $"Tag {command.Repository}:{command.Tag} exists now ({where}); a restore never overwrites a tag.");
            }
            var manifest = await registry.GetAsync(command.Repository, digest, attempts, ct);
            if (manifest is null)
                return (JournalOutcome.Failed, RestoreFailure.Reclaimed,
                    $"Not restorable: registry '{registry.Registry}' no longer holds {digest} in {command.Repository} (deleted or garbage-collected outside this worker).");
            if (command.DryRun)
                return (JournalOutcome.WouldRestore, null, null);
            var stored = await registry.PutAsync(command.Repository, command.Tag, manifest, attempts, ct);
            return stored == digest
                ? (JournalOutcome.Restored, null, null)
                : (JournalOutcome.Failed, RestoreFailure.RegistryError, $"The registry stored the manifest at {stored}, not at {digest}.");
        }
        catch (RegistryFailureException e)
        {
            return (JournalOutcome.Failed, RestoreFailure.RegistryError, e.Message);
        }
        catch (Exception e) when (UnexpectedFailure.Is(e, ct))
        {
            log.LogError(e, "Unexpected failure restoring {Registry}/{Repository}:{Tag} at {Digest} (request {RequestId})",
                registry.Registry, command.Repository, command.Tag, digest, command.RequestId);
            return (JournalOutcome.Failed, RestoreFailure.Internal, $"{UnexpectedFailure.Describe(e)} during the restore; see the worker's log.");
        }
    }

    /// <summary>The deletion to undo: the one of the given request, else the tag's latest; only a completed delete with a digest.</summary>
    private async Task<JournalRecord?> RestorableDeletionAsync(string registry, RestoreTag command, CancellationToken ct)
    {
        var query = new QueryJournal { Registry = registry, Repository = command.Repository, Request = command.DeletionRequestId };
        JournalRecord? latest = null;
        long after = 0;
        while (true)
        {
            var page = await journal.Store.ReadAsync(query, after, 1000, ct);
            foreach (var entry in page)
            {
                if (entry is { Action: JournalAction.DeleteTag, Outcome: JournalOutcome.Deleted, Digest: not null } && entry.Tag == command.Tag)
                    latest = entry;
            }
            if (page.Count < 1000)
                return latest;
            after = page[^1].Sequence;
        }
    }

    private static RestoreFailure RestoreFailureOf(FailureKind kind) => kind switch
    {
        FailureKind.UnknownRegistry => RestoreFailure.UnknownRegistry,
        FailureKind.Forbidden => RestoreFailure.Forbidden,
        _ => RestoreFailure.Rejected,
    };

    public static string NotRestorableOn(RegistryKind kind) =>
        $"Not restorable on this registry kind ({kind}): its documented API deletes and lists tags but has no call that creates or re-points a tag. Push the image again to bring the tag back.";
}

public sealed class RestoreTagConsumerDefinition() : CommandConsumerDefinition<RestoreTagConsumer>(QueueNames.RestoreTag, 16);
