using MassTransit;
using Microsoft.Extensions.Logging;
using RegistryCleaner.Common;
using RegistryCleaner.Common.Messaging;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Messaging;
using RegistryCleaner.Worker.PlainJson;
using RegistryCleaner.Worker.Protection;
using RegistryCleaner.Worker.Registries;

namespace RegistryCleaner.Worker.Retention;

/// <summary>
/// Lists a policy's repositories one at a time, plans each with the pure planner, reports the whole plan, and
/// then sends one ordinary DeleteTag per condemned tag, so scheduled deletions take the same path as manual ones.
/// Nothing is deleted when the plan breaks a safety limit, when listing fails, or in a dry run. The registry's rules bind
/// every run: repositories outside its scope are never listed, its protected tags are never condemned, and where it has
/// a publisher allow-list only those users (and the worker's own schedule) may start a run.
/// </summary>
public sealed class RetentionRunConsumer(RetentionPolicies policies, RegistryCatalog catalog, DeletionRules rules, DeletionSpools spools, TimeProvider time,
    ILogger<RetentionRunConsumer> logger)
    : IConsumer<RunRetentionPolicy>
{
    public async Task Consume(ConsumeContext<RunRetentionPolicy> context)
    {
        var command = context.Message;
        var report = new RetentionRunCompleted { RunId = command.RunId, Policy = command.Policy ?? "", StartedAt = time.GetUtcNow(), DryRun = command.DryRun };
        if (PlainJsonRefusal.Of(context) is { } invalid)
        {
            await FinishAsync(context, report with { Status = RetentionRunStatus.Failed, Reason = $"Nothing was listed or deleted: {invalid}" });
            return;
        }
        if (!policies.TryGet(command.Policy ?? "", out var policy))
        {
            await FinishAsync(context, report with
            {
                Status = RetentionRunStatus.Failed,
                Reason = $"Policy '{command.Policy}' is not configured. Configured: {string.Join(", ", policies.All.Select(p => p.Name).Order())}.",
            });
            return;
        }

        report = report with { Registry = policy.Registry, DryRun = command.DryRun || policy.DryRun };
        if (!catalog.TryGet(policy.Registry, out var registry))
        {
            await FinishAsync(context, report with { Status = RetentionRunStatus.Failed, Reason = $"Registry '{policy.Registry}' is not configured." });
            return;
        }

        var registryRules = rules.For(policy.Registry);
        if (registryRules.CheckPublisher(context.VerifiedPublisher()) is { } refusal)
        {
            await FinishAsync(context, report with { Status = RetentionRunStatus.Failed, Reason = $"Forbidden, nothing was listed or deleted: {refusal.Detail}" });
            return;
        }
        using var run = new RetentionRun(policy, registry, registryRules, report.DryRun ? null : spools.Create(), time.GetUtcNow());
        try
        {
            await run.PlanAsync(new OperationAttempts(), context.CancellationToken);
        }
        catch (RegistryFailureException e)
        {
            await FinishAsync(context, run.Report(report) with { Status = RetentionRunStatus.Failed, Reason = $"Listing failed, nothing was deleted: {e.Message}" });
            return;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await FinishAsync(context, run.Report(report) with { Status = RetentionRunStatus.Failed, Reason = SpoolFailure(e, "nothing was deleted") });
            return;
        }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException e)
        {
            await FinishAsync(context, run.Report(report) with
            {
                Status = RetentionRunStatus.Failed,
                Reason = $"The pattern '{e.Pattern}' took too long to decide on '{e.Input[..Math.Min(e.Input.Length, 128)]}'; nothing was deleted. Simplify the pattern.",
            });
            return;
        }
        catch (Exception e) when (UnexpectedFailure.Is(e, context.CancellationToken))
        {
            logger.LogError(e, "Retention run {RunId} of policy {Policy} failed unexpectedly while planning", command.RunId, policy.Name);
            await FinishAsync(context, run.Report(report) with
            {
                Status = RetentionRunStatus.Failed,
                Reason = $"{UnexpectedFailure.Describe(e)} while listing and planning; nothing was deleted. See the worker's log.",
            });
            return;
        }

        report = run.Report(report) with { UnmatchedPatterns = run.Usage.Unmatched() };
        if (run.LimitBroken is { } limit)
        {
            await FinishAsync(context, report with { Status = RetentionRunStatus.Aborted, Reason = limit });
            return;
        }

        var sent = 0;
        if (!report.DryRun)
        {
            var queue = await context.GetSendEndpoint(QueueNames.Address(QueueNames.DeleteTag));
            using var deletions = run.Deletions.GetEnumerator();
            while (true)
            {
                try
                {
                    if (!deletions.MoveNext())
                        break;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    await FinishAsync(context, report with { Status = RetentionRunStatus.Failed, DeletionsSent = sent, Reason = SpoolFailure(e, $"{sent} deletions were sent, the rest were not") });
                    return;
                }
                catch (Exception e) when (UnexpectedFailure.Is(e, context.CancellationToken))
                {
                    logger.LogError(e, "Retention run {RunId} of policy {Policy} failed unexpectedly reading its deletion spool", command.RunId, policy.Name);
                    await FinishAsync(context, report with
                    {
                        Status = RetentionRunStatus.Failed,
                        DeletionsSent = sent,
                        Reason = $"{UnexpectedFailure.Describe(e)} reading the run's deletion spool; {sent} deletions were sent, the rest were not. See the worker's log.",
                    });
                    return;
                }
                var deletion = deletions.Current;
                await queue.Send(new DeleteTag
                {
                    RequestId = DeterministicId.From(command.RunId.ToString(), deletion.Repository, deletion.Tag),
                    Registry = policy.Registry,
                    Repository = deletion.Repository,
                    Tag = deletion.Tag,
                    Reason = deletion.Reason,
                    RequestedBy = $"retention:{policy.Name}",
                    RunId = command.RunId,
                    Policy = policy.Name,
                    OnlyIfUntagged = deletion.OnlyIfUntagged,
                    OnlyIfDigest = deletion.Digest,
                }, context.CancellationToken);
                sent++;
            }
        }
        var skipped = run.OutOfScope.Count == 0 ? null
            : $"Skipped, outside {registryRules.ScopeKey}: {string.Join(", ", run.OutOfScope)}.";
        await FinishAsync(context, report with { Status = RetentionRunStatus.Completed, DeletionsSent = sent, Reason = skipped });
    }

    private string SpoolFailure(Exception e, string outcome) =>
        $"The run's deletion spool in {spools.Directory} ({DeletionSpools.DirectoryKey}) could not be written or read: {e.Message} {outcome[..1].ToUpperInvariant()}{outcome[1..]}.";

    private async Task FinishAsync(ConsumeContext context, RetentionRunCompleted report)
    {
        report = report with { CompletedAt = time.GetUtcNow() };
        await context.Publish(report);
        logger.Log(report.Status == RetentionRunStatus.Completed ? LogLevel.Information : LogLevel.Warning,
            "Retention run {RunId} of policy {Policy}: {Status}{DryRun}, {Repositories} repositories, {Scanned} tags scanned, {ToDelete} to delete, {Sent} deletions sent. {Reason}",
            report.RunId, report.Policy, report.Status, report.DryRun ? " (dry run)" : "", report.Repositories.Count, report.TagsScanned, report.TagsToDelete, report.DeletionsSent, report.Reason ?? "");
        foreach (var pattern in report.UnmatchedPatterns)
            logger.LogWarning("Retention run {RunId} of policy {Policy}: {Key} '{Pattern}' matched no {MatchedAgainst}.", report.RunId, report.Policy, pattern.Key, pattern.Pattern, pattern.MatchedAgainst);
    }
}
