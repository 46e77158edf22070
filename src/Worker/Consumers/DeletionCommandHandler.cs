using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Logging;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Registries;
using RegistryCleaner.Worker.Validation;

namespace RegistryCleaner.Worker.Consumers;

/// <summary>The path every deletion command takes: validate, call the registry, report exactly one outcome.</summary>
public sealed class DeletionCommandHandler(DeletionReporter reporter, ILogger<DeletionCommandHandler> logger)
{
    public async Task HandleAsync<T>(ConsumeContext<T> context, DeletionTarget target, Refusal? refusal, IRegistryClient? client,
        Func<IRegistryClient, OperationAttempts, CancellationToken, Task<DeletionResult>> delete)
        where T : class
    {
        var startedAt = Stopwatch.GetTimestamp();
        target = target.Bounded();
        if (refusal is not null || client is null)
        {
            await reporter.FailedAsync(context, target, refusal?.Kind ?? FailureKind.Rejected, null, refusal?.Detail ?? "Invalid command.", 0, startedAt);
            return;
        }

        var attempts = new OperationAttempts();
        try
        {
            var result = await delete(client, attempts, context.CancellationToken);
            await reporter.SucceededAsync(context, target, result, attempts, startedAt);
        }
        catch (RegistryFailureException failure)
        {
            await reporter.FailedAsync(context, target, failure.Kind, failure.Status ?? attempts.LastStatus, failure.Message, attempts.Attempts, startedAt);
        }
        catch (Exception e) when (!context.CancellationToken.IsCancellationRequested && e is not OperationCanceledException)
        {
            logger.LogError(e, "Unexpected failure deleting {Target} (request {RequestId})", target.ToString(), target.RequestId);
            await reporter.FailedAsync(context, target, FailureKind.Internal, attempts.LastStatus,
                $"The worker failed unexpectedly ({e.GetType().Name}); the command is kept for re-drive.", attempts.Attempts, startedAt);
        }
    }
}
