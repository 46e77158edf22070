using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace RegistryCleaner.Publisher.Messaging;

/// <summary>
/// Traces one run of the CLI when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, or when <c>TRACEPARENT</c> (and
/// <c>TRACESTATE</c>) hand it a trace to join, a CI pipeline's for one. MassTransit's send span then carries the
/// context into the message headers, and the worker's consume, registry and HTTP spans continue the same trace.
/// </summary>
public static class Tracing
{
    public const string SourceName = "RegistryCleaner.Publisher";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>Starts the run's span, named after the command (e.g. "registry-cleaner delete-tag"); disposing it ends the span and flushes the exporter.</summary>
    public static IDisposable Start(ParseResult parse)
    {
        var otlp = !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"));
        var traceParent = Environment.GetEnvironmentVariable("TRACEPARENT");
        if (!otlp && string.IsNullOrWhiteSpace(traceParent))
            return new Run(null, null);

        var builder = Sdk.CreateTracerProviderBuilder().AddSource(SourceName, "MassTransit");
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME")))
            builder.ConfigureResource(r => r.AddService("registry-cleaner"));
        if (otlp)
            builder.AddOtlpExporter();
        var provider = builder.Build();
        ActivityContext.TryParse(traceParent, Environment.GetEnvironmentVariable("TRACESTATE"), isRemote: true, out var parent);
        return new Run(provider, Source.StartActivity(CommandPath(parse), ActivityKind.Internal, parent));
    }

    private static string CommandPath(ParseResult parse)
    {
        var names = new Stack<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as CommandResult)
            names.Push(result.Command.Name);
        return string.Join(' ', names);
    }

    private sealed class Run(TracerProvider? provider, Activity? activity) : IDisposable
    {
        public void Dispose()
        {
            activity?.Dispose();
            provider?.Dispose();
        }
    }
}
