using RegistryCleaner.Bench.Messaging;
using RegistryCleaner.Bench.Processes;
using RegistryCleaner.Bench.Report;
using RegistryCleaner.Bench.Scenarios;

namespace RegistryCleaner.Bench;

/// <summary>
/// Runs the deletion benchmarks one after the other (all of them, or those named: 1a 1b 2 3 4 profile) and prints their
/// figures as Markdown, with each target's verdict.
/// </summary>
public static class ThroughputBenchmark
{
    public static async Task<int> RunAsync(string[] only)
    {
        bool Selected(string id) => only.Length == 0 || only.Contains(id);
        var env = BenchEnvironment.FromVariables();
        var defaults = new WorkerSettings();
        var results = new BenchResults
        {
            Environment = env,
            Defaults = defaults,
            LatencyBoundSettings = new WorkerSettings(MaxConcurrency: 64, ConcurrentMessageLimit: 128, PrefetchCount: 128),
            AddedLatency = TimeSpan.FromMilliseconds(50),
            LatencyBoundCommands = env.Commands / 2,
        };
        await using var bus = await BenchBus.StartAsync(env.RabbitMqUri);

        if (Selected("1a"))
            results.SandboxHttp = await Measured<HttpBaselineFigures>.RunAsync("1a plain HTTP at the sandbox", () => SandboxHttpBaseline.RunAsync(env, defaults.MaxConcurrency));
        if (Selected("1b"))
            results.BusRoundTrip = await Measured<BusFigures>.RunAsync("1b messaging round trip", () => BusRoundTrip.RunAsync(env, bus, defaults));
        if (Selected("2"))
            results.Worker = await Measured<BusFigures>.RunAsync("2 worker end to end", () => WorkerEndToEnd.RunAsync(env, bus, defaults, env.Commands, null, paced: true));
        if (Selected("3"))
            results.LatencyBound = await Measured<BusFigures>.RunAsync("3 latency-bound worker", () =>
                WorkerEndToEnd.RunAsync(env, bus, results.LatencyBoundSettings, results.LatencyBoundCommands, results.AddedLatency, paced: false));
        if (Selected("4"))
            results.Registry = await Measured<RegistryFigures>.RunAsync("4 real registry", () => RegistryComparison.RunAsync(env, bus, defaults));

        if (Selected("profile"))
            results.Profile = await Measured<BusFigures>.RunAsync("profile of the worker", () =>
                WorkerEndToEnd.RunAsync(env, bus, results.LatencyBoundSettings, results.ProfileCommands, results.AddedLatency, paced: false,
                    tracePath: Path.Combine(Path.GetTempPath(), $"registry-cleaner-worker-{Guid.NewGuid():N}.nettrace")));

        Console.WriteLine(ResultsReport.Render(results));
        string?[] failures = [results.SandboxHttp?.Failure, results.BusRoundTrip?.Failure, results.Worker?.Failure, results.LatencyBound?.Failure, results.Registry?.Failure, results.Profile?.Failure];
        return failures.Any(f => f is not null) ? 1 : 0;
    }
}
