using MassTransit;
using Microsoft.Extensions.Logging;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Registries;

namespace RegistryCleaner.Worker.Restore;

/// <summary>Ends a restore in exactly one event, <see cref="TagRestored"/> or <see cref="RestoreFailed"/>, and one log line.</summary>
public sealed class RestoreReport(ConsumeContext context, RestoreTag received, string? publisher, TimeProvider time, ILogger log)
{
    private RestoreTag _command = received;

    /// <summary>
    /// Names resolve case-insensitively; once the registry is resolved, the events (and their routing keys) carry its
    /// configured spelling, so that an observer bound to "tag-restored.prod" also hears of a command that said "Prod".
    /// An unknown registry keeps the command's text.
    /// </summary>
    public void Resolved(IRegistryClient client) => _command = _command with { Registry = client.Name };

    public async Task RestoredAsync(string digest, Guid deletionRequestId, OperationAttempts attempts)
    {
        await context.Publish(RestoreEcho.Restored(_command, publisher) with
        {
            Digest = digest,
            DeletionRequestId = deletionRequestId,
            Attempts = attempts.Attempts,
            CompletedAt = time.GetUtcNow(),
        });
        log.LogInformation("Restore {Outcome}: {Registry}/{Repository}:{Tag} at {Digest} request {RequestId} published by {Publisher}",
            _command.DryRun ? "possible (dry run)" : "done", _command.Registry, _command.Repository, _command.Tag, digest, _command.RequestId, publisher ?? "(unverified)");
    }

    public async Task FailedAsync(RestoreFailure failure, string detail, string? digest, int? status = null)
    {
        var bounded = Bounded(_command);
        await context.Publish(RestoreEcho.Failed(bounded, publisher) with
        {
            Failure = failure,
            Detail = detail,
            Digest = digest,
            LastStatus = status,
            FailedAt = time.GetUtcNow(),
        });
        log.LogWarning("Restore failed ({Failure}): {Registry}/{Repository}:{Tag} request {RequestId}: {Detail}",
            failure, bounded.Registry, bounded.Repository, bounded.Tag, _command.RequestId, detail);
    }

    /// <summary>A failure may be of an invalid command: its fields are cut before they are echoed, so that they cannot flood events and logs.</summary>
    private static RestoreTag Bounded(RestoreTag command) => command with
    {
        Registry = Bounded(command.Registry, 128),
        Repository = Bounded(command.Repository, 512),
        Tag = Bounded(command.Tag, 256),
        RequestedBy = command.RequestedBy is null ? null : Bounded(command.RequestedBy, 256),
    };

    private static string Bounded(string? value, int max) => value is null ? "" : value.Length <= max ? value : value[..max] + "…";
}
