using MassTransit;
using Quartz;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Retention.Scheduling;

namespace RegistryCleaner.Worker.Retention;

/// <summary>Answers "which policies, and when do they fire next" from the running scheduler.</summary>
public sealed class RetentionPoliciesConsumer(RetentionPolicies policies, ISchedulerFactory schedulers) : IConsumer<ListRetentionPolicies>
{
    public async Task Consume(ConsumeContext<ListRetentionPolicies> context)
    {
        var scheduler = await schedulers.GetScheduler(context.CancellationToken);
        var list = new List<RetentionPolicyInfo>();
        foreach (var policy in policies.All.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var trigger = policy.Schedule is null ? null : await scheduler.GetTrigger(RetentionJob.TriggerKey(policy.Name), context.CancellationToken);
            list.Add(new RetentionPolicyInfo
            {
                Name = policy.Name,
                Registry = policy.Registry,
                Schedule = policy.Schedule,
                TimeZone = policy.Schedule is null ? null : policy.TimeZone.Id,
                DryRun = policy.DryRun,
                NextFireTime = trigger?.NextFireTimeUtc,
                Rules = policy.Describe(),
            });
        }
        await context.RespondAsync(new RetentionPolicyList { Policies = list });
    }
}
