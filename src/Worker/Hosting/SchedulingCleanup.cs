using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;
using RegistryCleaner.Worker.Jobs;

namespace RegistryCleaner.Worker.Hosting;

/// <summary>
/// Removes from the persistent store the schedules of retention policies that are no longer configured (or no longer have a
/// schedule), which would otherwise go on firing on every worker of the cluster.
/// </summary>
public sealed class SchedulingCleanup(ISchedulerFactory schedulers, IReadOnlySet<string> scheduledPolicies, ILogger<SchedulingCleanup> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var group = RetentionJob.JobKey("").Group;
        foreach (var job in await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(group), cancellationToken))
        {
            if (scheduledPolicies.Contains(job.Name))
                continue;
            if (await scheduler.DeleteJob(job, cancellationToken))
                log.LogInformation("Removed the stored schedule of retention policy {Policy}: it is no longer configured with a schedule", job.Name);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
