using MassTransit;
using Quartz;
using RegistryCleaner.Contracts;

namespace RegistryCleaner.Worker.Jobs;

/// <summary>Fires a policy's schedule. It only sends the command: the run itself happens in a consumer, on any worker.</summary>
[DisallowConcurrentExecution]
public sealed class RetentionJob(ISendEndpointProvider send) : IJob
{
    public const string PolicyKey = "policy";

    public static JobKey JobKey(string policy) => new(policy, "retention");

    public static TriggerKey TriggerKey(string policy) => new(policy, "retention");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var policy = context.MergedJobDataMap.GetString(PolicyKey)!;
        var endpoint = await send.GetSendEndpoint(QueueNames.Address(QueueNames.RunRetentionPolicy));
        await endpoint.Send(new RunRetentionPolicy { RunId = NewId.NextGuid(), Policy = policy, RequestedBy = "schedule" }, cancellationToken);
    }
}
