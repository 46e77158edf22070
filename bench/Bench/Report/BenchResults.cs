using RegistryCleaner.Bench.Processes;
using RegistryCleaner.Bench.Scenarios;

namespace RegistryCleaner.Bench.Report;

/// <summary>What one run measured; a figure that could not be measured carries the reason instead.</summary>
public sealed class BenchResults
{
    public required BenchEnvironment Environment { get; init; }
    public required WorkerSettings Defaults { get; init; }
    public required WorkerSettings LatencyBoundSettings { get; init; }
    public required TimeSpan AddedLatency { get; init; }
    public required int LatencyBoundCommands { get; init; }

    public Measured<HttpBaselineFigures>? SandboxHttp { get; set; }
    public Measured<BusFigures>? BusRoundTrip { get; set; }
    public Measured<BusFigures>? Worker { get; set; }
    public Measured<BusFigures>? LatencyBound { get; set; }
    public Measured<RegistryFigures>? Registry { get; set; }
    public Measured<BusFigures>? Profile { get; set; }

    public int ProfileCommands => Math.Min(5_000, LatencyBoundCommands);

    public double LatencyBoundPerSecond => LatencyBoundSettings.MaxConcurrency / AddedLatency.TotalSeconds;
}

public sealed record Measured<T>(T? Value, string? Failure) where T : class
{
    public static async Task<Measured<T>> RunAsync(string what, Func<Task<T>> run)
    {
        Console.Error.WriteLine($"[bench] {what} ...");
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var value = await run();
            Console.Error.WriteLine($"[bench] {what}: done in {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s");
            return new Measured<T>(value, null);
        }
        catch (Exception e)
        {
            var reason = e is BenchFailure ? e.Message : $"{e.GetType().Name}: {e.Message}";
            Console.Error.WriteLine($"[bench] {what}: FAILED: {reason}");
            return new Measured<T>(null, reason);
        }
    }
}
