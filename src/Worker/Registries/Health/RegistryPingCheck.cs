using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RegistryCleaner.Worker.Registries.Health;

/// <summary>Readiness of one configured registry: does it answer its ping.</summary>
public sealed class RegistryPingCheck(RegistryPings pings, string registry) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        pings.CheckAsync(registry, cancellationToken);
}
