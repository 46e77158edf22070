using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;

namespace RegistryCleaner.Worker.Tests.Observability.Support;

/// <summary>An in-memory span exporter: every span the worker's tracer provider ends up exporting.</summary>
public sealed class SpanCollector : BaseExporter<Activity>
{
    private readonly ConcurrentQueue<Activity> _spans = new();

    public IReadOnlyList<Activity> Spans => _spans.ToArray();

    public override ExportResult Export(in Batch<Activity> batch)
    {
        foreach (var activity in batch)
            _spans.Enqueue(activity);
        return ExportResult.Success;
    }

    /// <summary>The spans of one trace.</summary>
    public IReadOnlyList<Activity> Trace(ActivityTraceId traceId) => Spans.Where(s => s.TraceId == traceId).ToList();

    /// <summary>Everything a span holds as text: name, attributes, status, events and their attributes, baggage.</summary>
    public static IEnumerable<string> Texts(Activity span)
    {
        yield return span.DisplayName;
        yield return span.OperationName;
        if (span.StatusDescription is { } status)
            yield return status;
        foreach (var (key, value) in span.TagObjects)
            yield return $"{key}={value}";
        foreach (var (key, value) in span.Baggage)
            yield return $"{key}={value}";
        foreach (var e in span.Events)
        {
            yield return e.Name;
            foreach (var (key, value) in e.Tags)
                yield return $"{key}={value}";
        }
    }
}
