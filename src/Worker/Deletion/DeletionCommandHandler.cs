using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Logging;
using RegistryCleaner.Common.Validation;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Journal;
using RegistryCleaner.Worker.PlainJson;
using RegistryCleaner.Worker.Registries;

namespace RegistryCleaner.Worker.Deletion;

/// <summary>The path every deletion command takes: validate, journal the intent, call the registry, journal and report exactly one outcome.</summary>
public sealed class DeletionCommandHandler(DeletionReporter reporter, DeletionJournal journal, ILogger<DeletionCommandHandler> logger)
{
    public async Task HandleAsync<T>(ConsumeContext<T> context, DeletionTarget target, Refusal? refusal, IRegistryClient? client,
        Func<IRegistryClient, OperationAttempts, CancellationToken, Task<DeletionResult>> delete)
        where T : class
    {
        var startedAt = Stopwatch.GetTimestamp();
        target = target.Bounded();
        refusal = PlainJsonRefusal.Of(context) is { } plain ? new Refusal(FailureKind.Rejected, plain) : refusal;
        using var telemetry = DeletionTelemetry.Start(target, client, ReasonOf(context.Message));
        // Every line logged while this command is handled (HTTP client lines included) names the request it belongs to.
        using var scope = logger.BeginScope("RequestId:{RequestId} Registry:{Registry}", target.RequestId, target.Registry);
        if (refusal is not null || client is null)
        {
            var kind = refusal?.Kind ?? FailureKind.Rejected;
            var detail = refusal?.Detail ?? "Invalid command.";
            await reporter.FailedAsync(context, target, kind, null, detail, 0, startedAt);
            telemetry.Failure(kind, null, detail, null);
            return;
        }

        var attempts = new OperationAttempts();
        var entry = await journal.BeginAsync(DeletionJournalEntries.Intent(context.Message, target, client.Name, ReasonOf(context.Message)), context.CancellationToken);
        if (entry is null)
        {
            await reporter.FailedAsync(context, target, FailureKind.Internal, null, DeletionJournalEntries.IntentNotRecorded, 0, startedAt);
            telemetry.Failure(FailureKind.Internal, null, DeletionJournalEntries.IntentNotRecorded, null);
            return;
        }
        try
        {
            var result = await delete(client, attempts, context.CancellationToken);
            if (!await journal.CompleteAsync(entry, DeletionJournalEntries.OutcomeOf(result), result.Digest, result.MediaType, null, context.CancellationToken)
                || (result.UntaggedTags is { } untagged && !await journal.RecordUntaggedAsync(entry, untagged, context.CancellationToken)))
            {
                var detail = DeletionJournalEntries.OutcomeNotRecorded(result);
                await reporter.FailedAsync(context, target, FailureKind.Internal, attempts.LastStatus, detail, attempts.Attempts, startedAt);
                telemetry.Failure(FailureKind.Internal, attempts.LastStatus, detail, attempts);
                return;
            }
            await reporter.SucceededAsync(context, target, result, attempts, startedAt);
            telemetry.Succeeded(result, attempts);
        }
        catch (RegistryFailureException failure)
        {
            await journal.CompleteAsync(entry, JournalOutcome.Failed, null, null, failure.Message, context.CancellationToken);
            await reporter.FailedAsync(context, target, failure.Kind, failure.Status ?? attempts.LastStatus, failure.Message, attempts.Attempts, startedAt);
            telemetry.Failure(failure.Kind, failure.Status, failure.Message, attempts);
        }
        catch (Exception e) when (!context.CancellationToken.IsCancellationRequested && e is not OperationCanceledException)
        {
            logger.LogError(e, "Unexpected failure deleting {Target} (request {RequestId})", target.ToString(), target.RequestId);
            var detail = $"The worker failed unexpectedly ({e.GetType().Name}); the command is kept for re-drive.";
            await journal.CompleteAsync(entry, JournalOutcome.Failed, null, null, detail, context.CancellationToken);
            await reporter.FailedAsync(context, target, FailureKind.Internal, attempts.LastStatus, detail, attempts.Attempts, startedAt);
            telemetry.Failure(FailureKind.Internal, attempts.LastStatus, detail, attempts);
        }
    }

    private static string? ReasonOf<T>(T message) => message switch
    {
        DeleteTag tag => tag.Reason,
        DeleteRepository repository => repository.Reason,
        _ => null,
    };
}
