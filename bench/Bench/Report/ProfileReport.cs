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
        Tables(md, p, count);
    }

    /// <summary>The tables alone, for a trace of <paramref name="count"/> commands.</summary>
    public static void Tables(StringBuilder md, TraceAnalysis p, int count)
    {
        OursTable(md, p);
        Table(md, "methods on top of the stack (exclusive); a wait or lock on top names its first caller beyond threading plumbing", p.HotPaths, p.Samples);
        Table(md, "methods anywhere on the stack (inclusive)", p.Inclusive, p.Samples);
        md.AppendLine("| allocated type (allocation ticks) | bytes per command |");
        md.AppendLine("|---|---:|");
        foreach (var (type, bytes) in p.Allocations.Take(15))
            md.AppendLine($"| `{Cell(type)}` | {(bytes / (double)count).ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} |");
        md.AppendLine();
    }

    /// <summary>
    /// The innermost frame of ours alone (the first column, as measured before) counts a filter for all of the pipeline it
    /// hands the message on to; the split says which part of that share was the frame's own work and which was the pipeline's.
    /// </summary>
    private static void OursTable(StringBuilder md, TraceAnalysis p)
    {
        md.AppendLine("| our code on the stack (the innermost `RegistryCleaner` frame of each sample) | share of samples | of which its own work (with what it called for itself: runtime, payload look-ups, SQLite) | of which a pipeline it had handed the work on to (MassTransit beyond `next.Send` or a publish, HttpClient beyond `base.SendAsync`, RabbitMQ client, Polly), or its awaiter resumed |");
        md.AppendLine("|---|---:|---:|---:|");
        foreach (var (name, samples) in p.Callers.Take(20))
        {
            var inPipeline = p.CalledOut.GetValueOrDefault(name);
            var split = name == TraceAnalysis.NoFrameOfOurs ? "— | —" : $"{Share(samples - inPipeline, p.Samples)} | {Share(inPipeline, p.Samples)}";
            md.AppendLine($"| `{Cell(name)}` | {Share(samples, p.Samples)} | {split} |");
        }
        md.AppendLine();
        var ours = p.Samples - p.Callers.FirstOrDefault(c => c.Frame == TraceAnalysis.NoFrameOfOurs).Samples;
        var handedOn = p.CalledOut.Values.Sum();
        md.AppendLine($"All frames of ours: {Share(ours, p.Samples)} of the samples as the innermost frame; {Share(ours - handedOn, p.Samples)} their own work, " +
                      $"{Share(handedOn, p.Samples)} in a pipeline they had handed the work on to.");
        md.AppendLine();
    }

    private static string Share(int samples, int total) =>
        $"{(100.0 * samples / Math.Max(1, total)).ToString("F1", System.Globalization.CultureInfo.InvariantCulture)} %";

    private static void Table(StringBuilder md, string title, IReadOnlyList<(string Name, int Samples)> rows, int total)
    {
        md.AppendLine($"| {title} | share of samples |");
        md.AppendLine("|---|---:|");
        foreach (var (name, samples) in rows.Take(20))
            md.AppendLine($"| `{Cell(name)}` | {Share(samples, total)} |");
        md.AppendLine();
    }

    private static string PerThousand(int collections, int count) => (collections * 1000.0 / count).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
}
