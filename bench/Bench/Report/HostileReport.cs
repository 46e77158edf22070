using RegistryCleaner.Bench.Messaging;
using RegistryCleaner.Bench.Scenarios;

namespace RegistryCleaner.Bench.Report;

/// <summary>Runs (5) and prints its section of bench/results.md.</summary>
public static class HostileReport
{
    public static async Task<int> RunAsync()
    {
        var env = BenchEnvironment.FromVariables();
        await using var bus = await BenchBus.StartAsync(env.RabbitMqUri);
        Console.WriteLine($"## Hostile input (target: peak resident memory under {HostileMemory.TargetBytes / 1024 / 1024} MB)");
        Console.WriteLine();
        try
        {
            var f = await HostileMemory.RunAsync(env, bus);
            var peakMb = f.PeakBytes / 1024.0 / 1024.0;
            Console.WriteLine("| what | valid | hostile | hostile rejected with DeletionFailed | kept in delete-tag_error | time | worker peak (VmHWM) | load average after | verdict |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
            Console.WriteLine($"| worker with default settings (prefetch 64, 64 at once) | {f.Valid:N0}, all deleted | {f.Hostile} | {f.Rejected} | {f.Kept} | {f.Elapsed.TotalSeconds:F1} s | {peakMb:F0} MB | {f.LoadAverage} | {(f.PeakBytes < HostileMemory.TargetBytes ? "met" : "missed")} |");
            Console.WriteLine();
            Console.WriteLine("Hostile kinds, 15 of each: 300 KB envelope header (unknown name, and `RC-Redrive-Count`), 120 KB of AMQP headers over 60 names, a 1 MB tag, a 2 MB reason, a URL for a registry, CR/LF in a tag, look-alike Unicode, 5,000-deep nesting, broken JSON and UTF-8. The broker never closed the worker's connection (a frame error would have stalled the run).");
            return f.PeakBytes < HostileMemory.TargetBytes ? 0 : 1;
        }
        catch (BenchFailure e)
        {
            Console.WriteLine($"Failed: {e.Message}");
            return 1;
        }
    }
}
