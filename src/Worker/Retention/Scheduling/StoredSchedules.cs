using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace RegistryCleaner.Worker.Retention.Scheduling;

/// <summary>
/// Brings the persistent store in line with this worker's configuration once the scheduler has started. A trigger already
/// stored is left alone when its schedule is unchanged: replacing it while another worker of the cluster has acquired it
/// would let that fire time run twice. A changed schedule is replaced (it fires from now on), and schedules of policies no
/// longer configured are removed, since they would otherwise go on firing on every worker.
/// </summary>
public sealed class StoredSchedules(ISchedulerFactory schedulers, IReadOnlyList<RetentionPolicy> scheduledPolicies, ILogger<StoredSchedules> log)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await RemoveUnconfiguredAsync(scheduler, cancellationToken);
        foreach (var policy in scheduledPolicies)
            await UpdateIfChangedAsync(scheduler, policy, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task RemoveUnconfiguredAsync(IScheduler scheduler, CancellationToken cancellationToken)
    {
        var configured = scheduledPolicies.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var job in await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(RetentionJob.Group), cancellationToken))
        {
            if (configured.Contains(job.Name))
                continue;
            if (await scheduler.DeleteJob(job, cancellationToken))
                log.LogInformation("Removed the stored schedule of retention policy {Policy}: it is no longer configured with a schedule", job.Name);
        }
    }

    private async Task UpdateIfChangedAsync(IScheduler scheduler, RetentionPolicy policy, CancellationToken cancellationToken)
    {
        var key = RetentionJob.TriggerKey(policy.Name);
        var stored = await scheduler.GetTrigger(key, cancellationToken) as ICronTrigger;
        if (stored is not null && stored.CronExpressionString == policy.Schedule && stored.TimeZone.Id == policy.TimeZone.Id)
            return;
        var trigger = TriggerBuilder.Create()
            .ForJob(RetentionJob.JobKey(policy.Name))
            .WithIdentity(key)
            .WithCronSchedule(RetentionJob.Schedule(policy))
            .Build();
        await scheduler.ScheduleJob(trigger, ScheduleJobOptions.Replacing, cancellationToken);
        log.LogInformation("Updated the stored schedule of retention policy {Policy} from {Stored} ({StoredZone}) to {Schedule} ({Zone})",
            policy.Name, stored?.CronExpressionString, stored?.TimeZone.Id, policy.Schedule, policy.TimeZone.Id);
    }
}
