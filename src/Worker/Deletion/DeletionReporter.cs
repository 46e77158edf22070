using System.Diagnostics;
using MassTransit;
using MassTransit.Serialization;
using Microsoft.Extensions.Logging;
using RegistryCleaner.Common.Messaging;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Journal;
using RegistryCleaner.Worker.Registries;

namespace RegistryCleaner.Worker.Deletion;

/// <summary>
/// Ends every command in exactly one result event and one log line. A failed command is also kept, unchanged,
/// in its endpoint's <c>_error</c> queue for re-drive. Both go through the consume context, so the in-memory
/// outbox sends them only when the outcome is final. The kept copy carries no verified identity: re-driving it is a new
/// request, judged by whoever re-drives it.
/// </summary>
public sealed class DeletionReporter(ILogger<DeletionReporter> logger, TimeProvider time)
{
    public async Task SucceededAsync(ConsumeContext context, DeletionTarget target, DeletionResult result, OperationAttempts attempts, long startedAt)
    {
        var elapsed = Stopwatch.GetElapsedTime(startedAt);
        await context.Publish(TargetEcho.Succeeded(target) with
        {
            Outcome = result.Outcome,
            Digest = result.Digest,
            Attempts = attempts.Attempts,
            TagsDeleted = result.TagsDeleted,
            Elapsed = elapsed,
            CompletedAt = time.GetUtcNow(),
        });
        logger.LogInformation("Deletion {Outcome}: {Target} request {RequestId} published by {Publisher} after {Attempts} attempt(s) in {ElapsedMs} ms",
            result.Outcome, target.ToString(), target.RequestId, target.VerifiedPublisher ?? "(unverified)", attempts.Attempts, (long)elapsed.TotalMilliseconds);
    }

    public async Task FailedAsync<T>(ConsumeContext<T> context, DeletionTarget target, FailureKind kind, int? status, string detail, int attempts, long startedAt)
        where T : class
    {
        var elapsed = Stopwatch.GetElapsedTime(startedAt);
        var errorQueue = ErrorQueue(context);
        await context.Send(errorQueue, context.Message, send =>
        {
            // The kept copy is the received body, byte for byte; its headers (RC-Redrive-Count among them) come from
            // MassTransit's copy of the consumed message's, bounded on the way out (Hostile/HeaderBounds).
            if (context.ReceiveContext.ContentType is { } contentType)
                send.Serializer = new CopyBodySerializer(contentType, context.ReceiveContext.Body);
            send.WithoutIdentity(target.VerifiedPublisher);
            send.Headers.Set(MessageHeaders.Reason, "fault");
            send.Headers.Set(MessageHeaders.FaultMessage, detail);
            send.Headers.Set("RC-Failure-Kind", kind.ToString());
            send.Headers.Set(MessageHeaders.FaultInputAddress, context.ReceiveContext.InputAddress.ToString());
            send.Headers.Set(MessageHeaders.FaultTimestamp, time.GetUtcNow().ToString("O"));
        });
        await context.Publish(TargetEcho.Failed(target) with
        {
            Failure = kind,
            LastStatus = status,
            Detail = detail,
            Attempts = attempts,
            Elapsed = elapsed,
            FailedAt = time.GetUtcNow(),
            KeptForRedrive = true,
        });
        logger.LogWarning("Deletion failed ({Failure}): {Target} request {RequestId} published by {Publisher} after {Attempts} attempt(s), status {Status}: {Detail}",
            kind, target.ToString(), target.RequestId, target.VerifiedPublisher ?? "(unverified)", attempts, status, detail);
    }

    private static Uri ErrorQueue(ConsumeContext context)
    {
        var input = context.ReceiveContext.InputAddress;
        var queue = input.AbsolutePath.TrimEnd('/').Split('/')[^1];
        return new Uri($"queue:{queue}_error");
    }
}
