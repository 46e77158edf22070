using System.Text;
using RegistryCleaner.Bench.Profiling;
using static RegistryCleaner.Bench.Report.Format;

namespace RegistryCleaner.Bench.Report;

/// <summary>The profile section: where the worker's CPU went during a burst, and what it allocated.</summary>
public static class ProfileReport
{
    public static void Render(StringBuilder md, BenchResults r)
    {
        if (r.Profile is null)
            return;
        md.AppendLine($"## Profile: the worker process during a latency-bound burst of {Count(r.ProfileCommands)} commands ({r.LatencyBoundSettings.Describe()})");
        md.AppendLine();
        if (r.Profile.Value is not { Profile: { } p } figures)
        {
            md.AppendLine($"**Not measured**: {r.Profile.Failure ?? "no trace"}");
            md.AppendLine();
            return;
        }
        var count = figures.Burst.Count;
        md.AppendLine("Stack samples of the worker's threads while they ran managed code (EventPipe's sample profiler, about one per millisecond per thread), " +
                      "taken over the burst; profiling slows the worker, so this run's throughput is no figure. " +
                      $"{Count(p.Samples)} samples; worker CPU {Micros(figures.Cpu.ByRole.GetValueOrDefault(Measure.Roles.Worker), count)} per command; " +
                      $"garbage collections per 1,000 commands: gen0 {PerThousand(p.Collections[0], count)}, gen1 {PerThousand(p.Collections[1], count)}, gen2 {PerThousand(p.Collections[2], count)}; " +
                      $"allocated about {(p.AllocatedBytes / (double)count / 1024).ToString("F1", System.Globalization.CultureInfo.InvariantCulture)} KB per command.");
        md.AppendLine();
        Table(md, "our code on the stack (the innermost `RegistryCleaner` frame of each sample)", p.Callers, p.Samples);
        Table(md, "methods on top of the stack (exclusive); a wait or lock on top names its first caller beyond threading plumbing", p.HotPaths, p.Samples);
        Table(md, "methods anywhere on the stack (inclusive)", p.Inclusive, p.Samples);
        md.AppendLine("| allocated type (allocation ticks) | bytes per command |");
        md.AppendLine("|---|---:|");
        foreach (var (type, bytes) in p.Allocations.Take(15))
            md.AppendLine($"| `{Cell(type)}` | {(bytes / (double)count).ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} |");
        md.AppendLine();
    }

    private static void Table(StringBuilder md, string title, IReadOnlyList<(string Name, int Samples)> rows, int total)
    {
        md.AppendLine($"| {title} | share of samples |");
        md.AppendLine("|---|---:|");
        foreach (var (name, samples) in rows.Take(20))
            md.AppendLine($"| `{Cell(name)}` | {(100.0 * samples / Math.Max(1, total)).ToString("F1", System.Globalization.CultureInfo.InvariantCulture)} % |");
        md.AppendLine();
    }

    private static string PerThousand(int collections, int count) => (collections * 1000.0 / count).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
}
