using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace RegistryCleaner.Worker.Observability.Health;

/// <summary>Liveness: the process answers, and says whether it is starting, running or shutting down.</summary>
public sealed class HostLifetimeCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            lifetime.ApplicationStopping.IsCancellationRequested ? HealthCheckResult.Unhealthy("The worker is shutting down.")
            : lifetime.ApplicationStarted.IsCancellationRequested ? HealthCheckResult.Healthy("The worker is running.")
            : HealthCheckResult.Healthy("The worker is starting."));
}
