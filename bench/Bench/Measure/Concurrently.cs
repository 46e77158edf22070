using System.Diagnostics;

namespace RegistryCleaner.Bench.Measure;

/// <summary>Runs <c>count</c> items, <c>concurrency</c> at a time, timing each item and the whole.</summary>
public static class Concurrently
{
    public static async Task<RunFigures> RunAsync(int count, int concurrency, Func<int, Task<bool>> item)
    {
        var latencies = new double[count];
        var failures = 0;
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var at = Stopwatch.GetTimestamp();
                if (!await item(i))
                    Interlocked.Increment(ref failures);
                latencies[i] = Stopwatch.GetElapsedTime(at).TotalMilliseconds;
            }
        })));
        var elapsed = Stopwatch.GetElapsedTime(started);
        Array.Sort(latencies);
        return new RunFigures(count, elapsed, Latencies.Percentile(latencies, 50), Latencies.Percentile(latencies, 99), failures);
    }
}

public sealed record RunFigures(int Count, TimeSpan Elapsed, double P50Ms, double P99Ms, int Failures)
{
    public double PerSecond => Count / Elapsed.TotalSeconds;
}
