using MassTransit;
using Microsoft.Extensions.Logging;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Registries;

namespace RegistryCleaner.Worker.Retention;

/// <summary>
/// Lists a policy's repositories one at a time, plans each with the pure planner, reports the whole plan, and
/// then sends one ordinary DeleteTag per condemned tag, so scheduled deletions take the same path as manual ones.
/// Nothing is deleted when the plan breaks a safety limit, when listing fails, or in a dry run.
/// </summary>
public sealed class RetentionRunConsumer(RetentionPolicies policies, RegistryCatalog catalog, TimeProvider time, ILogger<RetentionRunConsumer> logger)
    : IConsumer<RunRetentionPolicy>
{
    public async Task Consume(ConsumeContext<RunRetentionPolicy> context)
    {
        var command = context.Message;
        var report = new RetentionRunCompleted { RunId = command.RunId, Policy = command.Policy ?? "", StartedAt = time.GetUtcNow(), DryRun = command.DryRun };
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

        var plans = new List<RepositoryPlan>();
        try
        {
            var attempts = new OperationAttempts();
            var now = time.GetUtcNow();
            await foreach (var repository in RepositoriesAsync(policy, registry, attempts, context.CancellationToken))
            {
                var tags = await registry.ListTagsAsync(repository, attempts, context.CancellationToken);
                if (tags is not null)
                    plans.Add(RetentionPlanner.Plan(policy, repository, tags, now));
            }
        }
        catch (RegistryFailureException e)
        {
            await FinishAsync(context, Summed(report, plans) with { Status = RetentionRunStatus.Failed, Reason = $"Listing failed, nothing was deleted: {e.Message}" });
            return;
        }

        report = Summed(report, plans);
        if (RetentionPlanner.LimitBroken(policy, plans) is { } limit)
        {
            await FinishAsync(context, report with { Status = RetentionRunStatus.Aborted, Reason = limit });
            return;
        }

        var sent = 0;
        if (!report.DryRun)
        {
            var queue = await context.GetSendEndpoint(QueueNames.Address(QueueNames.DeleteTag));
            foreach (var plan in plans)
            {
                foreach (var tag in plan.Condemned)
                {
                    await queue.Send(new DeleteTag
                    {
                        RequestId = DeterministicId.From(command.RunId.ToString(), plan.Repository, tag.Tag),
                        Registry = policy.Registry,
                        Repository = plan.Repository,
                        Tag = tag.Tag,
                        Reason = $"retention policy {policy.Name}: {tag.Rule}",
                        RequestedBy = $"retention:{policy.Name}",
                        RunId = command.RunId,
                        Policy = policy.Name,
                    }, context.CancellationToken);
                    sent++;
                }
            }
        }
        await FinishAsync(context, report with { Status = RetentionRunStatus.Completed, DeletionsSent = sent });
    }

    private static async IAsyncEnumerable<string> RepositoriesAsync(RetentionPolicy policy, IRegistryClient registry, OperationAttempts attempts,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        if (policy.LiteralRepositories is { } named)
        {
            foreach (var repository in named.Where(policy.IncludesRepository))
                yield return repository;
            yield break;
        }
        await foreach (var repository in registry.ListRepositoriesAsync(attempts, ct))
        {
            if (policy.IncludesRepository(repository))
                yield return repository;
        }
    }

    private static RetentionRunCompleted Summed(RetentionRunCompleted report, List<RepositoryPlan> plans) => report with
    {
        Repositories = plans,
        TagsScanned = plans.Sum(p => p.Scanned),
        TagsToDelete = plans.Sum(p => p.ToDelete),
    };

    private async Task FinishAsync(ConsumeContext context, RetentionRunCompleted report)
    {
        report = report with { CompletedAt = time.GetUtcNow() };
        await context.Publish(report);
        logger.Log(report.Status == RetentionRunStatus.Completed ? LogLevel.Information : LogLevel.Warning,
            "Retention run {RunId} of policy {Policy}: {Status}{DryRun}, {Repositories} repositories, {Scanned} tags scanned, {ToDelete} to delete, {Sent} deletions sent. {Reason}",
            report.RunId, report.Policy, report.Status, report.DryRun ? " (dry run)" : "", report.Repositories.Count, report.TagsScanned, report.TagsToDelete, report.DeletionsSent, report.Reason ?? "");
    }
}
