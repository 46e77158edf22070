using MassTransit;
using Microsoft.Extensions.Logging;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Hosting;
using RegistryCleaner.Worker.PlainJson;
using RegistryCleaner.Worker.Registries;
using RegistryCleaner.Worker.Validation;

namespace RegistryCleaner.Worker.Retention;

/// <summary>
/// Lists a policy's repositories one at a time, plans each with the pure planner, reports the whole plan, and
/// then sends one ordinary DeleteTag per condemned tag, so scheduled deletions take the same path as manual ones.
/// Nothing is deleted when the plan breaks a safety limit, when listing fails, or in a dry run. The registry's rules bind
/// every run: repositories outside its scope are never listed, its protected tags are never condemned, and where it has
/// a publisher allow-list only those users (and the worker's own schedule) may start a run.
/// </summary>
public sealed class RetentionRunConsumer(RetentionPolicies policies, RegistryCatalog catalog, DeletionRules rules, TimeProvider time, ILogger<RetentionRunConsumer> logger)
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
        policy = policy with { Protect = [.. policy.Protect, .. registryRules.ProtectedTags.Select(p => p.Regex)] };

        var plans = new List<RepositoryPlan>();
        var outOfScope = new List<string>();
        try
        {
            var attempts = new OperationAttempts();
            var now = time.GetUtcNow();
            await foreach (var repository in RepositoriesAsync(policy, registry, registryRules, outOfScope, attempts, context.CancellationToken))
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
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException e)
        {
            await FinishAsync(context, Summed(report, plans) with
            {
                Status = RetentionRunStatus.Failed,
                Reason = $"The pattern '{e.Pattern}' took too long to decide on '{e.Input[..Math.Min(e.Input.Length, 128)]}'; nothing was deleted. Simplify the pattern.",
            });
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
        var skipped = outOfScope.Count == 0 ? null
            : $"Skipped, outside {registryRules.ScopeKey}: {string.Join(", ", outOfScope)}.";
        await FinishAsync(context, report with { Status = RetentionRunStatus.Completed, DeletionsSent = sent, Reason = skipped });
    }

    /// <summary>The policy's repositories within the registry's scope. Those the policy names itself but the scope excludes are reported.</summary>
    private static async IAsyncEnumerable<string> RepositoriesAsync(RetentionPolicy policy, IRegistryClient registry, RegistryRules registryRules,
        List<string> outOfScope, OperationAttempts attempts, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        if (policy.LiteralRepositories is { } named)
        {
            foreach (var repository in named.Where(policy.IncludesRepository))
            {
                if (registryRules.InScope(repository))
                    yield return repository;
                else
                    outOfScope.Add(repository);
            }
            yield break;
        }
        await foreach (var repository in registry.ListRepositoriesAsync(attempts, ct))
        {
            if (policy.IncludesRepository(repository) && registryRules.InScope(repository))
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
