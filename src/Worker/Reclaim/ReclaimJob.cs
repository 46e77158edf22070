using MassTransit;
using Quartz;
using RegistryCleaner.Contracts;

namespace RegistryCleaner.Worker.Reclaim;

/// <summary>Fires the reclaim schedule. It only sends the command: the reclaim runs in a consumer, on any one worker.</summary>
[DisallowConcurrentExecution]
public sealed class ReclaimJob(ISendEndpointProvider send) : IJob
{
    public static readonly JobKey Key = new("reclaim", "reclaim");
    public static readonly TriggerKey Trigger = new("reclaim", "reclaim");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var endpoint = await send.GetSendEndpoint(QueueNames.Address(QueueNames.Reclaim));
        await endpoint.Send(new ReclaimDigests { RunId = NewId.NextGuid(), RequestedBy = "schedule" }, cancellationToken);
    }

    /// <summary>A fire missed while no worker ran is not made up for: the next one does the same work.</summary>
    public static CronScheduleBuilder Schedule(string cron) => CronScheduleBuilder.Create(cron).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing);
}
