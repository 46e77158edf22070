namespace RegistryCleaner.Worker.Hosting;

/// <summary>
/// <c>Telemetry__*</c>. Export over OTLP is switched on by the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (and
/// tuned by the other <c>OTEL_*</c> variables); these settings add what the standard variables do not cover.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>Also writes spans and metrics to the console (for a look without a collector).</summary>
    public bool ConsoleExporter { get; set; }

    /// <summary>The service.name reported when <c>OTEL_SERVICE_NAME</c> is not set.</summary>
    public string ServiceName { get; set; } = "registry-cleaner-worker";
}
