using System.Diagnostics;
using RegistryCleaner.Bench.Retention;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Protection;
using RegistryCleaner.Worker.Registries;
using RegistryCleaner.Worker.Retention;

namespace RegistryCleaner.Bench;

/// <summary>
/// The planner at scale, each in a fresh process so that its peak memory is its own: one repository of 1,000,000
/// tags (target under 2 s and 400 MB), and a whole run streamed over 10,000,000 tags in 10,000 repositories through
/// <see cref="RetentionRun"/>, deletions spooled and read back as a run sends them (target: flat memory, under 300 MB).
/// </summary>
public static class PlannerScaleBenchmark
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    private static RetentionPolicy Policy => PlannerBenchmark.Policy;

    public static string OneRepository(int tagCount = 1_000_000)
    {
        var tags = SyntheticRegistry.Tags(42, tagCount, Now);
        var policy = Policy;
        var (first, result) = Timed(() => Summary(RetentionPlanner.Plan(policy, "team/huge", tags, Now)));
        var peak = PeakMegabytes();
        var (second, _) = Timed(() => Summary(RetentionPlanner.Plan(policy, "team/huge", tags, Now)));
        return $"| retention planner, one repository | {tagCount:N0} tags (1 in 5 sharing an image, 1 in 100 a signature) | first run {first} | second run {second} | {result} | peak working set {peak} MB |";
    }

    private static string Summary(RepositoryPlan plan) =>
        $"{plan.ToDelete:N0} to delete ({plan.UntagOnly:N0} untag only, {plan.ImagesRemoved:N0} images removed, {plan.Referrers:N0} referrers)";

    public static async Task<string> StreamedRun(int repositories = 10_000, int tagsPerRepository = 1_000)
    {
        var registry = new SyntheticRegistry(repositories, tagsPerRepository, Now);
        var rules = new RegistryRules("bench", [], [], [], null);
        var heaps = new List<long>();
        var stopwatch = Stopwatch.StartNew();
        var pausedBefore = GC.GetTotalPauseDuration();
        using var spool = new DeletionSpool(Path.GetTempPath());
        using var run = new RetentionRun(Policy, new HeapSampler(registry, repositories / 10, heaps), rules, spool, Now);
        await run.PlanAsync(new OperationAttempts(), CancellationToken.None);
        var planned = stopwatch.Elapsed;
        var deletions = run.Deletions.LongCount();
        var report = run.Report(new RetentionRunCompleted());
        stopwatch.Stop();
        return $"| retention run, streamed | {report.TagsScanned:N0} tags in {report.Repositories.Count:N0} repositories | planned in {planned.TotalSeconds:F1} s, " +
               $"{deletions:N0} spooled deletions read back, {stopwatch.Elapsed.TotalSeconds:F1} s in all (GC pauses {(GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds:F0} ms) | " +
               $"{report.TagsToDelete:N0} to delete, {report.CondemnedNotListed:N0} not listed in the report | peak working set {PeakMegabytes()} MB; " +
               $"managed heap after each tenth of the repositories: {string.Join(", ", heaps.Select(h => h / 1024 / 1024))} MB |";
    }

    /// <summary>Wall time, the process's CPU time (less sensitive to a busy machine), and GC pauses of one call.</summary>
    private static (string Figures, T Result) Timed<T>(Func<T> work)
    {
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var pausedBefore = GC.GetTotalPauseDuration();
        var stopwatch = Stopwatch.StartNew();
        var result = work();
        stopwatch.Stop();
        process.Refresh();
        return ($"{stopwatch.Elapsed.TotalMilliseconds:F0} ms (CPU {(process.TotalProcessorTime - cpuBefore).TotalMilliseconds:F0} ms, GC pauses {(GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds:F0} ms)", result);
    }

    private static long PeakMegabytes()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.PeakWorkingSet64 / 1024 / 1024;
    }

    /// <summary>Records the managed heap every <paramref name="every"/> repositories listed, to show whether memory stays flat.</summary>
    private sealed class HeapSampler(IRegistryClient inner, int every, List<long> heaps) : IRegistryClient
    {
        private int _listed;
        public string Name => inner.Name;
        public RegistryKind Kind => inner.Kind;
        public string? ValidateRepository(string repository) => inner.ValidateRepository(repository);
        public string? ValidateTag(string tag) => inner.ValidateTag(tag);
        public Task<DeletionResult> DeleteTagAsync(string repository, string tag, OperationAttempts attempts, CancellationToken ct) => inner.DeleteTagAsync(repository, tag, attempts, ct);
        public Task<DeletionResult> DeleteRepositoryAsync(string repository, bool deleteTagsFirst, OperationAttempts attempts, CancellationToken ct) =>
            inner.DeleteRepositoryAsync(repository, deleteTagsFirst, attempts, ct);
        public IAsyncEnumerable<string> ListRepositoriesAsync(OperationAttempts attempts, CancellationToken ct) => inner.ListRepositoriesAsync(attempts, ct);

        public Task<IReadOnlyList<RegistryTag>?> ListTagsAsync(string repository, OperationAttempts attempts, CancellationToken ct)
        {
            if (++_listed % every == 0)
                heaps.Add(GC.GetTotalMemory(forceFullCollection: false));
            return inner.ListTagsAsync(repository, attempts, ct);
        }
    }
}
