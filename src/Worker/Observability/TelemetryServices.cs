using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
namespace RegistryCleaner.Worker.Observability;

public static class TelemetryServices
{
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Traces (the worker's registry operations, MassTransit, Quartz, outgoing HTTP) and metrics (the worker's, MassTransit's,
    /// Quartz's, the HTTP client's and the runtime's) through OpenTelemetry; exported over OTLP when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (logs too), to the console when <c>Telemetry:ConsoleExporter</c> is true.
    /// With no exporter, spans are created for their trace context only (it still travels on in message headers and log
    /// scopes) and record nothing, unless <c>Telemetry:RecordSpans</c> says otherwise.
    /// </summary>
    public static IServiceCollection AddWorkerTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r =>
            {
                if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]))
                    r.AddService(options.ServiceName, serviceVersion: WorkerDiagnostics.Version);
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(WorkerDiagnostics.Name, WorkerDiagnostics.MassTransit, WorkerDiagnostics.Quartz)
                    .AddHttpClientInstrumentation(o => o.EnrichWithHttpRequestMessage = NameRegistry);
                if (options.ConsoleExporter)
                    tracing.AddConsoleExporter();
                if (!otlp && !options.ConsoleExporter && !options.RecordSpans)
                    tracing.SetSampler(new AlwaysOffSampler());
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(WorkerDiagnostics.Name, WorkerDiagnostics.MassTransit, WorkerDiagnostics.QuartzMeter, "System.Runtime")
                    .AddHttpClientInstrumentation();
                if (options.ConsoleExporter)
                    metrics.AddConsoleExporter();
            });
        if (otlp)
        {
            telemetry.WithLogging(configureBuilder: null, configureOptions: o =>
            {
                o.IncludeFormattedMessage = true;
                o.IncludeScopes = true;
            });
            telemetry.UseOtlpExporter();
        }
        return services;
    }

    private static void NameRegistry(Activity activity, HttpRequestMessage request)
    {
        if (request.Options.TryGetValue(RegistryRequestMetrics.RegistryOption, out var registry))
            activity.SetTag(TagNames.Registry, registry);
    }
}
