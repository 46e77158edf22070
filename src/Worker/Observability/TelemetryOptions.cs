namespace RegistryCleaner.Worker.Observability;

/// <summary>
/// <c>Telemetry__*</c>. Export over OTLP is switched on by the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (and
/// tuned by the other <c>OTEL_*</c> variables); these settings add what the standard variables do not cover.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>Also writes spans and metrics to the console (for a look without a collector).</summary>
    public bool ConsoleExporter { get; set; }

    /// <summary>
    /// Records spans even when neither OTLP nor the console exporter is configured (for an exporter added in code). Off by
    /// default: spans nobody exports cost CPU on every command, so they are then created for their trace context only.
    /// </summary>
    public bool RecordSpans { get; set; }

    /// <summary>The service.name reported when <c>OTEL_SERVICE_NAME</c> is not set.</summary>
    public string ServiceName { get; set; } = "registry-cleaner-worker";
}
