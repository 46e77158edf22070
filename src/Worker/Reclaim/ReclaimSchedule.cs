using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace RegistryCleaner.Worker.Reclaim;

/// <summary>
/// Brings the stored reclaim trigger in line with <c>Reclaim:Schedule</c> once the scheduler runs, as the retention schedules
/// are: left alone when unchanged (replacing it could run a fire time twice in the cluster), replaced when changed, removed when off.
/// </summary>
public sealed class ReclaimSchedule(ISchedulerFactory schedulers, ReclaimOptions options, ILogger<ReclaimSchedule> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var stored = await scheduler.GetTrigger(ReclaimJob.Trigger, cancellationToken) as ICronTrigger;
        if (options.Schedule is null)
        {
            if (await scheduler.DeleteJob(ReclaimJob.Key, cancellationToken))
                log.LogInformation("Removed the stored reclaim schedule: Reclaim:Schedule is off");
            return;
        }
        if (stored?.CronExpressionString == options.Schedule)
            return;
        var job = JobBuilder.Create<ReclaimJob>().WithIdentity(ReclaimJob.Key).StoreDurably().Build();
        var trigger = TriggerBuilder.Create().ForJob(ReclaimJob.Key).WithIdentity(ReclaimJob.Trigger).WithSchedule(ReclaimJob.Schedule(options.Schedule)).Build();
        await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, cancellationToken);
        log.LogInformation("Reclaim scheduled: {Schedule} (was {Stored})", options.Schedule, stored?.CronExpressionString ?? "none");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
