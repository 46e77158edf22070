using MassTransit;
using Microsoft.Extensions.Logging;
using RegistryCleaner.Common.Messaging;
using RegistryCleaner.Common.Validation;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Deletion;
using RegistryCleaner.Worker.Journal;
using RegistryCleaner.Worker.Messaging;
using RegistryCleaner.Worker.PlainJson;
using RegistryCleaner.Worker.Protection;
using RegistryCleaner.Worker.Registries;
using RegistryCleaner.Worker.Registries.Oci;

namespace RegistryCleaner.Worker.Reclaim;

/// <summary>
/// A reclaim run: for every registry asked for (and allowed to the publisher), the journal's deleted digests older than
/// <c>Reclaim:After</c>, repository by repository. Each reclaimed digest is journaled and published; the run ends in
/// one <see cref="ReclaimCompleted"/>.
/// </summary>
public sealed class ReclaimConsumer(CommandValidator validator, RegistryCatalog catalog, DeletionRules rules, DeletionJournal journal,
    ReclaimOptions options, TimeProvider time, ILogger<ReclaimConsumer> log) : IConsumer<ReclaimDigests>
{
    public async Task Consume(ConsumeContext<ReclaimDigests> context)
    {
        var command = context.Message;
        var startedAt = time.GetUtcNow();
        var publisher = context.VerifiedPublisher();
        var (registries, named, refusal) = PlainJsonRefusal.Of(context) is { } invalid ? ([], null, invalid) : Registries(command, publisher);
        // Names resolve case-insensitively; once resolved, the event (and its routing key) carries the configured spelling,
        // so that an observer bound to "reclaim-completed.prod" also hears of a run that said "Prod". An unknown one keeps the command's text.
        var registry = named?.Name ?? Bounded(command.Registry);
        if (refusal is not null)
        {
            await context.Publish(new ReclaimCompleted
            {
                RunId = command.RunId, Registry = registry, DryRun = command.DryRun, Succeeded = false, Detail = refusal,
                StartedAt = startedAt, CompletedAt = time.GetUtcNow(),
            });
            log.LogWarning("Reclaim run {RunId} refused: {Detail}", command.RunId, refusal);
            return;
        }

        var tally = new OciReclaimer.Tally();
        var owner = $"{Environment.MachineName}:{Environment.ProcessId}:{command.RunId}";
        var before = startedAt - options.After;
        var run = new OciReclaimer.Run(command.RunId, command.DryRun, owner, before, reclaimed => context.Publish(reclaimed));
        var reclaimer = new OciReclaimer(journal, time, log);
        var notes = new List<string>();
        foreach (var client in registries)
        {
            IReadOnlyList<JournalRecord> deletions;
            try
            {
                deletions = await journal.Store.ReclaimableAsync(client.Name, before, context.CancellationToken);
            }
            catch (Exception e) when (UnexpectedFailure.Is(e, context.CancellationToken))
            {
                tally.Failed++;
                log.LogError(e, "Reclaim run {RunId}: the journal's deleted digests of {Registry} could not be read", command.RunId, client.Name);
                notes.Add($"{client.Name}: {UnexpectedFailure.Describe(e)} reading the journal; see the worker's log");
                continue;
            }
            if (client is not OciClient oci)
            {
                if (deletions.Count > 0)
                    notes.Add($"{client.Name}: a {client.Kind} deletion removes the image itself; nothing is left to reclaim");
                continue;
            }
            foreach (var repository in deletions.GroupBy(d => d.Repository, StringComparer.Ordinal))
            {
                try
                {
                    await reclaimer.ReclaimAsync(oci.Manifests, repository.Key, repository.ToList(), run, tally, context.CancellationToken);
                }
                catch (RegistryFailureException e)
                {
                    tally.Failed++;
                    notes.Add($"{client.Name}/{repository.Key}: {e.Message}");
                }
                catch (Exception e) when (UnexpectedFailure.Is(e, context.CancellationToken))
                {
                    tally.Failed++;
                    log.LogError(e, "Reclaim run {RunId}: {Registry}/{Repository} failed unexpectedly", command.RunId, client.Name, repository.Key);
                    notes.Add($"{client.Name}/{repository.Key}: {UnexpectedFailure.Describe(e)}; see the worker's log");
                }
            }
        }
        await context.Publish(new ReclaimCompleted
        {
            RunId = command.RunId,
            Registry = registry,
            DryRun = command.DryRun,
            Succeeded = tally.Failed == 0,
            Detail = notes.Count == 0 ? null : string.Join("; ", notes),
            Reclaimed = tally.Reclaimed,
            Kept = tally.Kept,
            Skipped = tally.Skipped,
            Failed = tally.Failed,
            BytesFreed = tally.BytesFreed,
            StartedAt = startedAt,
            CompletedAt = time.GetUtcNow(),
        });
        log.LogInformation("Reclaim run {RunId}{DryRun}: {Reclaimed} reclaimed ({Bytes} bytes), {Kept} kept, {Skipped} skipped, {Failed} failed",
            command.RunId, command.DryRun ? " (dry run)" : "", tally.Reclaimed, tally.BytesFreed, tally.Kept, tally.Skipped, tally.Failed);
    }

    /// <returns>The registries to reclaim; the one the command named, once resolved (null for every registry, or an unknown one); or why the run is refused.</returns>
    private (List<IRegistryClient> Registries, IRegistryClient? Named, string? Refusal) Registries(ReclaimDigests command, string? publisher)
    {
        if (command.RunId == Guid.Empty)
            return ([], null, "RunId is missing or empty.");
        if (command.RequestedBy is { Length: > NameRules.MaxRequestedBy } || command.RequestedBy?.Any(char.IsControl) == true)
            return ([], null, $"RequestedBy must be at most {NameRules.MaxRequestedBy} characters without control characters.");
        if (command.Registry is not null)
        {
            var (client, refusal) = validator.CheckRegistry(command.Registry, publisher);
            return refusal is null && client is not null ? ([client], client, null) : ([], client, refusal?.Detail ?? "Invalid command.");
        }
        var allowed = catalog.Names.Order(StringComparer.Ordinal)
            .Where(name => rules.For(name).CheckPublisher(publisher) is null)
            .Select(name => catalog.TryGet(name, out var client) ? client : null!)
            .ToList();
        return allowed.Count == 0 ? ([], null, "The publisher may not act on any configured registry (Registries:<name>:AllowedPublishers).") : (allowed, null, null);
    }

    private static string? Bounded(string? value) => value is null ? null : value.Length <= 128 ? value : value[..128] + "…";
}

public sealed class ReclaimConsumerDefinition : ConsumerDefinition<ReclaimConsumer>
{
    public ReclaimConsumerDefinition()
    {
        EndpointName = QueueNames.Reclaim;
        // One run at a time per worker; runs on several workers never take the same digest (the journal's claims).
        ConcurrentMessageLimit = 1;
    }
}
