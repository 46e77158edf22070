using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Logging;
using RegistryCleaner.Common.Messaging;
using RegistryCleaner.Common.Validation;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Journal;
using RegistryCleaner.Worker.Messaging;
using RegistryCleaner.Worker.PlainJson;
using RegistryCleaner.Worker.Protection;
using RegistryCleaner.Worker.Registries;
using RegistryCleaner.Worker.Retention;

namespace RegistryCleaner.Worker.Deletion;

/// <summary>The path every deletion command takes: validate, journal the intent, call the registry, journal and report exactly one outcome.</summary>
public sealed class DeletionService(CommandValidator validator, DeletionRules rules, DeletionReporter reporter, DeletionJournal journal,
    ILogger<DeletionService> logger)
{
    public async Task DeleteAsync(ConsumeContext<DeleteTag> context)
    {
        var command = context.Message;
        var publisher = context.VerifiedPublisher();
        var judgement = validator.Check(command, publisher);
        if (judgement is { Refusal: null, Client: { } client } && command.OnlyIfUntagged is { } subject && PlainJsonRefusal.Of(context) is null)
        {
            judgement = judgement with { Refusal = await CheckReferrerAsync(context, client, subject) };
        }
        await RunAsync(context, new TagDeletion(command, publisher), judgement);
    }

    /// <summary>The referrer is kept, with a result event, when its precondition cannot be checked; a subject still tagged is retried.</summary>
    private async Task<Refusal?> CheckReferrerAsync(ConsumeContext<DeleteTag> context, IRegistryClient client, string subject)
    {
        var command = context.Message;
        try
        {
            return await ReferrerPrecondition.CheckAsync(client, command.Repository, command.Tag, subject, context.GetRetryAttempt(), context.CancellationToken);
        }
        catch (Exception e) when (e is not SubjectStillTaggedException && UnexpectedFailure.Is(e, context.CancellationToken))
        {
            logger.LogError(e, "Unexpected failure checking whether the subject of {Repository}:{Tag} is still tagged (request {RequestId})",
                command.Repository, command.Tag, command.RequestId);
            return new Refusal(FailureKind.Internal, $"Kept {command.Repository}:{command.Tag}: {UnexpectedFailure.Describe(e)} while checking whether its subject is still tagged.");
        }
    }

    public Task DeleteAsync(ConsumeContext<DeleteRepository> context)
    {
        var publisher = context.VerifiedPublisher();
        return RunAsync(context, new RepositoryDeletion(context.Message, publisher, rules), validator.Check(context.Message, publisher));
    }

    private async Task RunAsync<T>(ConsumeContext<T> context, DeletionRequest request, Judgement judgement)
        where T : class
    {
        var startedAt = Stopwatch.GetTimestamp();
        var (client, refusal) = judgement;
        // Names resolve case-insensitively; events are routed and journaled under the configured spelling, so that an
        // observer bound to "deletion-failed.prod" also hears of a command that said "Prod".
        var target = client is null ? request.Target.Bounded() : request.Target.Bounded() with { Registry = client.Name };
        refusal = PlainJsonRefusal.Of(context) is { } plain ? new Refusal(FailureKind.Rejected, plain) : refusal;
        using var telemetry = DeletionTelemetry.Start(target, client, request.Reason);
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
        var entry = await journal.BeginAsync(DeletionJournalEntries.Intent(request.Action, target, client.Name, request.Reason), context.CancellationToken);
        if (entry is null)
        {
            await reporter.FailedAsync(context, target, FailureKind.Internal, null, DeletionJournalEntries.IntentNotRecorded, 0, startedAt);
            telemetry.Failure(FailureKind.Internal, null, DeletionJournalEntries.IntentNotRecorded, null);
            return;
        }
        try
        {
            var result = await request.DeleteAsync(client, (digest, mediaType) => journal.NoteDigestAsync(entry, digest, mediaType, context.CancellationToken),
                attempts, context.CancellationToken);
            if (result.Outcome == DeletionOutcome.AlreadyAbsent && entry.Digest is { } noted)
                result = DeletionResult.DeletedFrom(noted, entry.MediaType); // an earlier delivery read the tag and died after its delete
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
}
