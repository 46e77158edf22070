using MassTransit;
using Microsoft.Extensions.Logging;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Registries;

namespace RegistryCleaner.Worker.Restore;

/// <summary>Ends a restore in exactly one event, <see cref="TagRestored"/> or <see cref="RestoreFailed"/>, and one log line.</summary>
public sealed class RestoreReport(ConsumeContext context, RestoreTag command, string? publisher, TimeProvider time, ILogger log)
{
    public async Task RestoredAsync(string digest, Guid deletionRequestId, OperationAttempts attempts)
    {
        await context.Publish(new TagRestored
        {
            RequestId = command.RequestId,
            Registry = command.Registry,
            Repository = command.Repository,
            Tag = command.Tag,
            Digest = digest,
            DeletionRequestId = deletionRequestId,
            DryRun = command.DryRun,
            Attempts = attempts.Attempts,
            CompletedAt = time.GetUtcNow(),
            RequestedBy = command.RequestedBy,
            VerifiedPublisher = publisher,
        });
        log.LogInformation("Restore {Outcome}: {Registry}/{Repository}:{Tag} at {Digest} request {RequestId} published by {Publisher}",
            command.DryRun ? "possible (dry run)" : "done", command.Registry, command.Repository, command.Tag, digest, command.RequestId, publisher ?? "(unverified)");
    }

    public async Task FailedAsync(RestoreFailure failure, string detail, string? digest, int? status = null)
    {
        await context.Publish(new RestoreFailed
        {
            RequestId = command.RequestId,
            Registry = Bounded(command.Registry, 128),
            Repository = Bounded(command.Repository, 512),
            Tag = Bounded(command.Tag, 256),
            Failure = failure,
            Detail = detail,
            Digest = digest,
            LastStatus = status,
            DryRun = command.DryRun,
            FailedAt = time.GetUtcNow(),
            RequestedBy = command.RequestedBy is null ? null : Bounded(command.RequestedBy, 256),
            VerifiedPublisher = publisher,
        });
        log.LogWarning("Restore failed ({Failure}): {Registry}/{Repository}:{Tag} request {RequestId}: {Detail}",
            failure, Bounded(command.Registry, 128), Bounded(command.Repository, 512), Bounded(command.Tag, 256), command.RequestId, detail);
    }

    private static string Bounded(string? value, int max) => value is null ? "" : value.Length <= max ? value : value[..max] + "…";
}
