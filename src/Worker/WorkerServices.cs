using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RegistryCleaner.Worker.Journal;
using RegistryCleaner.Worker.Observability;
using RegistryCleaner.Worker.Observability.Health;
using RegistryCleaner.Worker.Protection;
using RegistryCleaner.Worker.Reclaim;
using RegistryCleaner.Worker.Registries;
using RegistryCleaner.Worker.Retention;
using RegistryCleaner.Worker.Retention.Scheduling;

namespace RegistryCleaner.Worker;

/// <summary>The composition root: every feature's registration, in the order start-up needs.</summary>
public static class WorkerServices
{
    /// <summary>
    /// The whole worker. Health comes first, so its endpoints answer (not ready) while the bus is still connecting; the
    /// scheduler before the journal, whose stored reclaim trigger it needs; the bus last.
    /// </summary>
    public static IHostApplicationBuilder AddWorker(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator>? configureBus = null)
    {
        builder.Logging.AddWorkerLogging(builder.Configuration);
        builder.Services.AddHealth(builder.Configuration);
        builder.Services.AddTelemetry(builder.Configuration);
        builder.Services.AddRegistries(builder.Configuration);
        builder.Services.AddScheduling(builder.Configuration);
        builder.Services.AddJournal(builder.Configuration);
        builder.Services.AddMessaging(builder.Configuration, x =>
        {
            x.ConfigureHealthCheckOptions(HealthServices.ConfigureBusCheck);
            configureBus?.Invoke(x);
        });
        return builder;
    }

    /// <summary>Traces, metrics and logs for OpenTelemetry, with the counts of retention runs.</summary>
    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPublishObserver<RetentionRunMetrics>();
        return services.AddWorkerTelemetry(configuration);
    }

    /// <summary>The registry clients and the rules that decide what may be deleted in each registry.</summary>
    public static IServiceCollection AddRegistries(this IServiceCollection services, IConfiguration configuration) =>
        services.AddRegistryClients(configuration).AddDeletionRules(configuration);

    /// <summary>The deletion journal and reclaim, which reads it. Register after the scheduler (<c>AddScheduling</c>).</summary>
    public static IServiceCollection AddJournal(this IServiceCollection services, IConfiguration configuration) =>
        services.AddJournalStore(configuration).AddReclaim(configuration);
}
