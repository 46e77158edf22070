using MassTransit;
using Quartz;

namespace RegistryCleaner.Worker.Retention.Scheduling;

/// <summary>
/// Stamps what a scheduled job sends with the fire time it was sent for (header <see cref="Header"/>), so that each
/// message of a retention schedule can be traced to its place in the schedule, whichever worker of the cluster fired it,
/// and however late it ran.
/// </summary>
public sealed class SchedulingFireTime : IJobExecutionMiddleware
{
    public const string Header = "RC-Scheduled-Fire-Time";

    private static readonly AsyncLocal<DateTimeOffset?> Firing = new();

    public async ValueTask Invoke(IJobExecutionContext context, JobExecutionDelegate next, CancellationToken cancellationToken)
    {
        Firing.Value = context.ScheduledFireTimeUtc ?? context.FireTimeUtc;
        try
        {
            await next(context, cancellationToken);
        }
        finally
        {
            Firing.Value = null;
        }
    }

    /// <summary>The send filter that writes the header while a job runs.</summary>
    public sealed class Stamp : IFilter<SendContext>
    {
        public Task Send(SendContext context, IPipe<SendContext> next)
        {
            if (Firing.Value is { } fireTime)
                context.Headers.Set(Header, fireTime.ToString("O"));
            return next.Send(context);
        }

        public void Probe(ProbeContext context) => context.CreateFilterScope("scheduledFireTime");
    }
}
