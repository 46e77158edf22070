namespace RegistryCleaner.Bench.Measure;

public static class Latencies
{
    /// <summary>Nearest-rank percentile of <paramref name="sortedMs"/> (ascending).</summary>
    public static double Percentile(IReadOnlyList<double> sortedMs, double percentile)
    {
        if (sortedMs.Count == 0)
            return double.NaN;
        var rank = (int)Math.Ceiling(percentile / 100 * sortedMs.Count);
        return sortedMs[Math.Clamp(rank - 1, 0, sortedMs.Count - 1)];
    }
}
