using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace RegistryCleaner.Worker.Tests.Observability.Support;

/// <summary>One metric point as exported: its instrument, tags and value (a sum, a gauge's value, or a histogram's count).</summary>
public sealed record MetricValue(string Name, IReadOnlyDictionary<string, object?> Tags, double Value, double HistogramSum);

/// <summary>An in-memory metric exporter holding the latest cumulative export, read after <see cref="Collect"/>.</summary>
public sealed class MetricCollector : BaseExporter<Metric>
{
    private volatile IReadOnlyList<MetricValue> _latest = [];

    public MetricCollector() => Reader = new BaseExportingMetricReader(this) { TemporalityPreference = MetricReaderTemporalityPreference.Cumulative };

    public MetricReader Reader { get; }

    public IReadOnlyList<MetricValue> Collect()
    {
        Reader.Collect();
        return _latest;
    }

    /// <summary>The sum of every point of one instrument whose tags include all of <paramref name="tags"/>.</summary>
    public double Sum(string name, params (string Key, object? Value)[] tags) =>
        Collect().Where(m => m.Name == name && tags.All(t => m.Tags.TryGetValue(t.Key, out var v) && Equals(v?.ToString(), t.Value?.ToString())))
            .Sum(m => m.Value);

    public override ExportResult Export(in Batch<Metric> batch)
    {
        var values = new List<MetricValue>();
        foreach (var metric in batch)
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                var tags = new Dictionary<string, object?>();
                foreach (var tag in point.Tags)
                    tags[tag.Key] = tag.Value;
                var (value, sum) = metric.MetricType switch
                {
                    MetricType.LongSum or MetricType.LongSumNonMonotonic => (point.GetSumLong(), 0d),
                    MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic => (point.GetSumDouble(), 0d),
                    MetricType.LongGauge => (point.GetGaugeLastValueLong(), 0d),
                    MetricType.DoubleGauge => (point.GetGaugeLastValueDouble(), 0d),
                    MetricType.Histogram => (point.GetHistogramCount(), point.GetHistogramSum()),
                    _ => (double.NaN, 0d),
                };
                values.Add(new MetricValue(metric.Name, tags, value, sum));
            }
        }
        _latest = values;
        return ExportResult.Success;
    }
}
