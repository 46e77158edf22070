using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;
using RegistryCleaner.Worker.Configuration;
namespace RegistryCleaner.Worker.Observability.Health;

public static class HealthServices
{
    /// <summary>Checks behind <c>/health/live</c>.</summary>
    public const string LiveTag = "live";

    /// <summary>Checks behind <c>/health/ready</c>.</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Health checks — liveness: the host; readiness: the bus, the scheduler and a ping of every configured registry (the
    /// registries add theirs, the bus its own) —
    /// and, when <c>Health:Port</c> is set, the HTTP endpoints that serve them. Register before the bus, so the
    /// endpoints answer (not ready) while the bus is still connecting.
    /// </summary>
    public static IServiceCollection AddHealth(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(HealthOptions.Section);
        services.AddOptions<HealthOptions>().Bind(section).ValidateErrors(o => o.Errors()).ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHeaderFreeHttpLogging();

        services.AddHealthChecks()
            .AddCheck<HostLifetimeCheck>("host", tags: [LiveTag])
            .AddQuartz(o =>
            {
                o.Name = "scheduler";
                o.Tags.Add(ReadyTag);
            });

        if (section[nameof(HealthOptions.Port)] is { Length: > 0 })
        {
            services.AddSingleton<HealthEndpoint>();
            services.AddHostedService(sp => sp.GetRequiredService<HealthEndpoint>());
        }
        return services;
    }

    /// <summary>MassTransit's bus check, named "bus" and counted for readiness. Pass to <c>ConfigureHealthCheckOptions</c>.</summary>
    public static void ConfigureBusCheck(IHealthCheckOptionsConfigurator options)
    {
        options.Name = "bus";
        options.Tags.Add(ReadyTag);
    }
}
