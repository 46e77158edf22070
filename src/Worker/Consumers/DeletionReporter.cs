using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Logging;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Registries;

namespace RegistryCleaner.Worker.Consumers;

/// <summary>
/// Ends every command in exactly one result event and one log line. A failed command is also kept, unchanged,
/// in its endpoint's <c>_error</c> queue for re-drive. Both go through the consume context, so the in-memory
/// outbox sends them only when the outcome is final.
/// </summary>
public sealed class DeletionReporter(ILogger<DeletionReporter> logger, TimeProvider time)
{
    public async Task SucceededAsync(ConsumeContext context, DeletionTarget target, DeletionResult result, OperationAttempts attempts, long startedAt)
    {
        var elapsed = Stopwatch.GetElapsedTime(startedAt);
        await context.Publish(new DeletionSucceeded
        {
            RequestId = target.RequestId,
            Registry = target.Registry,
            Repository = target.Repository,
            Tag = target.Tag,
            Outcome = result.Outcome,
            Attempts = attempts.Attempts,
            TagsDeleted = result.TagsDeleted,
            Elapsed = elapsed,
            CompletedAt = time.GetUtcNow(),
            RequestedBy = target.RequestedBy,
            RunId = target.RunId,
            Policy = target.Policy,
        });
        logger.LogInformation("Deletion {Outcome}: {Target} request {RequestId} after {Attempts} attempt(s) in {ElapsedMs} ms",
            result.Outcome, target.ToString(), target.RequestId, attempts.Attempts, (long)elapsed.TotalMilliseconds);
    }

    public async Task FailedAsync<T>(ConsumeContext<T> context, DeletionTarget target, FailureKind kind, int? status, string detail, int attempts, long startedAt)
        where T : class
    {
        var elapsed = Stopwatch.GetElapsedTime(startedAt);
        var errorQueue = ErrorQueue(context);
        await context.Send(errorQueue, context.Message, send =>
        {
            send.Headers.Set(MessageHeaders.Reason, "fault");
            send.Headers.Set(MessageHeaders.FaultMessage, detail);
            send.Headers.Set("RC-Failure-Kind", kind.ToString());
            send.Headers.Set(MessageHeaders.FaultInputAddress, context.ReceiveContext.InputAddress.ToString());
            send.Headers.Set(MessageHeaders.FaultTimestamp, time.GetUtcNow().ToString("O"));
        });
        await context.Publish(new DeletionFailed
        {
            RequestId = target.RequestId,
            Registry = target.Registry,
            Repository = target.Repository,
            Tag = target.Tag,
            Failure = kind,
            LastStatus = status,
            Detail = detail,
            Attempts = attempts,
            Elapsed = elapsed,
            FailedAt = time.GetUtcNow(),
            KeptForRedrive = true,
            RequestedBy = target.RequestedBy,
            RunId = target.RunId,
            Policy = target.Policy,
        });
        logger.LogWarning("Deletion failed ({Failure}): {Target} request {RequestId} after {Attempts} attempt(s), status {Status}: {Detail}",
            kind, target.ToString(), target.RequestId, attempts, status, detail);
    }

    private static Uri ErrorQueue(ConsumeContext context)
    {
        var input = context.ReceiveContext.InputAddress;
        var queue = input.AbsolutePath.TrimEnd('/').Split('/')[^1];
        return new Uri($"queue:{queue}_error");
    }
}
