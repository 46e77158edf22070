using MassTransit;
using Quartz;
using RegistryCleaner.Contracts;

namespace RegistryCleaner.Worker.Retention.Scheduling;

/// <summary>Fires a policy's schedule. It only sends the command: the run itself happens in a consumer, on any worker.</summary>
[DisallowConcurrentExecution]
public sealed class RetentionJob(ISendEndpointProvider send) : IJob
{
    public const string PolicyKey = "policy";

    public const string Group = "retention";

    public static JobKey JobKey(string policy) => new(policy, Group);

    public static TriggerKey TriggerKey(string policy) => new(policy, Group);

    /// <summary>A policy's schedule, in its time zone. A fire time missed while no worker ran is skipped, not made up for:
    /// the next one does the same work.</summary>
    public static CronScheduleBuilder Schedule(RetentionPolicy policy) => CronScheduleBuilder.Create(policy.Schedule!)
        .InTimeZone(policy.TimeZone)
        .WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var policy = context.MergedJobDataMap.GetString(PolicyKey)!;
        var endpoint = await send.GetSendEndpoint(QueueNames.Address(QueueNames.RunRetentionPolicy));
        await endpoint.Send(new RunRetentionPolicy { RunId = NewId.NextGuid(), Policy = policy, RequestedBy = "schedule" }, cancellationToken);
    }
}
