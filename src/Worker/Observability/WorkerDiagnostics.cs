using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RegistryCleaner.Worker.Observability;

/// <summary>The worker's own ActivitySource and Meter, and the names of the third-party ones it exports alongside.</summary>
public static class WorkerDiagnostics
{
    public const string Name = "RegistryCleaner.Worker";
    public const string MassTransit = "MassTransit";
    public const string Quartz = global::Quartz.Diagnostics.QuartzInstrumentation.ActivitySourceName;
    public const string QuartzMeter = global::Quartz.Diagnostics.QuartzInstrumentation.MeterName;

    public static readonly string Version = typeof(WorkerDiagnostics).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    public static readonly ActivitySource Source = new(Name, Version);
    public static readonly Meter Meter = new(Name, Version);
}
