using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using RegistryCleaner.Worker.Configuration;
using RegistryCleaner.Worker.Observability;
using RegistryCleaner.Worker.Observability.Health;
using RegistryCleaner.Worker.Registries.Health;
using RegistryCleaner.Worker.Registries.Http;

namespace RegistryCleaner.Worker.Registries;

public static class RegistryServices
{
    /// <summary>A client per configured registry, its secrets read from files, and a readiness check that pings it.</summary>
    public static IServiceCollection AddRegistryClients(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddTimeProvider();
        services.AddOptions<RetryOptions>().Bind(configuration.GetSection(RetryOptions.Section)).ValidateErrors(o => o.Errors()).ValidateOnStart();
        services.AddOptions<RegistriesOptions>()
            .Configure(o => BindEach(configuration.GetSection(RegistriesOptions.Section), o))
            .ValidateErrors(RegistriesOptionsValidator.Errors)
            .ValidateOnStart();
        services.AddSingleton<RegistryCatalog>();
        services.AddSingleton<IPostConfigureOptions<RegistriesOptions>, SecretFiles>();
        services.AddHeaderFreeHttpLogging();

        foreach (var registry in configuration.GetSection(RegistriesOptions.Section).GetChildren())
        {
            var maxConnections = registry.GetValue<int?>(nameof(RegistryOptions.MaxConcurrency)) ?? 16;
            var known = Enum.TryParse<RegistryKind>(registry[nameof(RegistryOptions.Kind)], ignoreCase: true, out var k);
            var kind = known ? RegistryKindNames.Of(k) : "unknown";
            var name = registry.Key;
            var client = services.AddHttpClient(RegistryHttp.ClientName(registry.Key), c => c.Timeout = Timeout.InfiniteTimeSpan)
                .AddHttpMessageHandler(() => new RegistryRequestMetrics(name, kind))
                .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
                {
                    MaxConnectionsPerServer = Math.Clamp(maxConnections, 1, 1024),
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    AllowAutoRedirect = false, // see RegistryRedirect
                    AutomaticDecompression = DecompressionMethods.None,
                    ConnectTimeout = TimeSpan.FromSeconds(10),
                });
            if (known && k == RegistryKind.Oci)
                client.AddHttpMessageHandler(() => new Oci.OciBlobRedirects());
        }
        services.AddRegistryHealthChecks(configuration);
        return services;
    }

    private static void AddRegistryHealthChecks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<RegistryPings>();
        var checks = services.AddHealthChecks();
        foreach (var registry in configuration.GetSection(RegistriesOptions.Section).GetChildren().Select(r => r.Key))
        {
            checks.Add(new HealthCheckRegistration($"registry:{registry}",
                sp => new RegistryPingCheck(sp.GetRequiredService<RegistryPings>(), registry), HealthStatus.Unhealthy, [HealthServices.ReadyTag]));
        }
    }

    /// <summary>One registry at a time: binding the whole dictionary would silently drop an entry with a bad value.</summary>
    private static void BindEach(IConfigurationSection section, RegistriesOptions options)
    {
        foreach (var registry in section.GetChildren())
        {
            var entry = new RegistryOptions();
            registry.Bind(entry);
            options.Registries[registry.Key] = entry;
        }
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider)))
            services.AddSingleton(TimeProvider.System);
    }
}
