using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Observability;
using RegistryCleaner.Worker.Observability.Health;
using RegistryCleaner.Worker.Retention.Scheduling;

namespace RegistryCleaner.Worker.Tests.Observability.Support;

/// <summary>
/// The worker composed as its Program composes it (in-memory transport), with every span, metric, log line and
/// message it produces recorded in memory.
/// </summary>
public sealed class ObservedWorker : IAsyncDisposable
{
    private readonly IHost _host;

    private ObservedWorker(IDictionary<string, string?> settings, bool waitForBus)
    {
        var values = new Dictionary<string, string?>
        {
            ["Retry:MaxAttempts"] = "3",
            ["Retry:BaseDelay"] = "00:00:00.010",
            ["Retry:MaxDelay"] = "00:00:00.050",
            ["Retry:MaxRetryAfter"] = "00:00:00.200",
            ["Retry:AttemptTimeout"] = "00:00:05",
            // The span collector below is an exporter added in code, which configuration cannot see.
            ["Telemetry:RecordSpans"] = "true",
        };
        foreach (var (key, value) in settings)
            values[key] = value;

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(values);
        builder.Logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace).AddWorkerLogging(builder.Configuration);
        builder.Services.AddHealth(builder.Configuration);
        builder.Services.AddTelemetry(builder.Configuration);
        builder.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddProcessor(new SimpleActivityExportProcessor(Spans)));
        builder.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddReader(Metrics.Reader));
        builder.Services.AddPublishObserver(_ => Messages);
        builder.Services.AddSendObserver(_ => Messages);
        builder.Services.AddRegistries(builder.Configuration);
        builder.Services.AddScheduling(builder.Configuration);
        builder.Services.AddMessaging(builder.Configuration, x => x.ConfigureHealthCheckOptions(HealthServices.ConfigureBusCheck));
        if (!waitForBus)
            builder.Services.PostConfigure<MassTransitHostOptions>(o => o.WaitUntilStarted = false);
        _host = builder.Build();
    }

    public SpanCollector Spans { get; } = new();
    public MetricCollector Metrics { get; } = new();
    public LogRecorder Logs { get; } = new();
    public MessageRecorder Messages { get; } = new();
    public IServiceProvider Services => _host.Services;

    /// <param name="waitForBus">False starts the host even while the broker cannot be reached.</param>
    public static async Task<ObservedWorker> StartAsync(IDictionary<string, string?> settings, bool waitForBus = true)
    {
        var worker = new ObservedWorker(settings, waitForBus);
        await worker._host.StartAsync();
        return worker;
    }

    public async Task SendAsync<T>(string queue, T command) where T : class
    {
        var endpoint = await Services.GetRequiredService<IBus>().GetSendEndpoint(QueueNames.Address(queue));
        await endpoint.Send((object)command); // the runtime type, so a list of mixed commands can be sent
    }

    /// <summary>The result event of one request, once it was published.</summary>
    public Task<object> ResultAsync(Guid requestId) => Eventually.FoundAsync(() =>
        Messages.Published<DeletionSucceeded>().Where(s => s.RequestId == requestId).Cast<object>()
            .Concat(Messages.Published<DeletionFailed>().Where(f => f.RequestId == requestId)).FirstOrDefault());

    public Task<RetentionRunCompleted> RunReportAsync(Guid runId) =>
        Eventually.FoundAsync(() => Messages.Published<RetentionRunCompleted>().FirstOrDefault(r => r.RunId == runId));

    public Task<DeletionSucceeded> ResultForRunAsync(Guid runId, string tag) =>
        Eventually.FoundAsync(() => Messages.Published<DeletionSucceeded>().FirstOrDefault(s => s.RunId == runId && s.Tag == tag));

    /// <summary>Pushes every ended span, every metric and every log record to the exporters.</summary>
    public void Flush()
    {
        Services.GetRequiredService<TracerProvider>().ForceFlush();
        Services.GetRequiredService<MeterProvider>().ForceFlush();
        Services.GetService<LoggerProvider>()?.ForceFlush(); // there when logs go over OTLP
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
