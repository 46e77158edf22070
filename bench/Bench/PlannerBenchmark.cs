using System.Diagnostics;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Registries;
using RegistryCleaner.Worker.Retention;

namespace RegistryCleaner.Bench;

/// <summary>
/// Plans 1,000,000 tags across 1,000 repositories the way a run does: one repository's tags in memory at a time,
/// keeping only the plans. Reports planning time (generation excluded) of the first run in a fresh process (what a
/// worker's first retention run pays, JIT included) and of a second run, with the GC pauses inside it and the
/// process's peak memory.
/// </summary>
public static class PlannerBenchmark
{
    /// <summary>The policy every planner benchmark plans with.</summary>
    internal static RetentionPolicy Policy => new()
    {
        Name = "bench",
        Registry = "r",
        KeepNewest = 50,
        DeleteOlderThan = TimeSpan.FromDays(30),
        MinKeep = 5,
        Protect = [Patterns.Compile("latest"), Patterns.Compile(@"v\d+\.\d+\.\d+")],
        TagInclude = [Patterns.Compile(".*")],
        TagExclude = [Patterns.Compile("keep-.*")],
        MaxDeletionsPerRun = int.MaxValue,
    };

    public static string Run(int repositories = 1_000, int tagsPerRepository = 1_000)
    {
        var first = PlanAll(repositories, tagsPerRepository);
        var second = PlanAll(repositories, tagsPerRepository);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return $"| retention planner | {first.Scanned:N0} tags in {repositories:N0} repositories | first run {first.Planning.TotalMilliseconds:F0} ms " +
               $"(GC pauses {first.GcPauses.TotalMilliseconds:F0} ms), second run {second.Planning.TotalMilliseconds:F0} ms | {first.Condemned:N0} condemned | " +
               $"peak working set {process.PeakWorkingSet64 / 1024 / 1024} MB | limits {first.Limits} |";
    }

    private static (long Scanned, TimeSpan Planning, TimeSpan GcPauses, long Condemned, string Limits) PlanAll(int repositories, int tagsPerRepository)
    {
        var now = new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
        var policy = Policy;
        var random = new Random(42);
        var planning = new Stopwatch();
        var gcPauses = TimeSpan.Zero;
        var plans = new List<RepositoryPlan>(repositories);
        var scanned = 0L;
        for (var r = 0; r < repositories; r++)
        {
            var tags = new RegistryTag[tagsPerRepository];
            for (var t = 0; t < tags.Length; t++)
            {
                var name = (t % 100) switch { 0 => $"v1.{t}.0", 1 => $"keep-{t}", _ => $"build-{t}" };
                DateTimeOffset? created = t % 97 == 0 ? null : now.AddMinutes(-random.Next(0, 60 * 24 * 365));
                tags[t] = new RegistryTag(name, null, created);
            }
            var repository = $"team/app-{r}";
            var pausedBefore = GC.GetTotalPauseDuration();
            planning.Start();
            plans.Add(RetentionPlanner.Plan(policy, repository, tags, now));
            planning.Stop();
            gcPauses += GC.GetTotalPauseDuration() - pausedBefore;
            scanned += tags.Length;
        }
        var limit = RetentionPlanner.LimitBroken(policy, plans);
        return (scanned, planning.Elapsed, gcPauses, plans.Sum(p => (long)p.ToDelete), limit is null ? "ok" : "broken");
    }
}
