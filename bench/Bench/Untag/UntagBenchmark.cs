using System.Globalization;
using System.Text;
using RegistryCleaner.Bench.Processes;
using RegistryCleaner.Bench.Registry;

namespace RegistryCleaner.Bench.Untag;

/// <summary>
/// (5) Exact untag on the real registry, with one repository of 500 and then of 2,000 tags to delete (10% of them with a
/// sibling tag that is not asked for), a fresh identical repository for each method: the worker end to end (the
/// Publisher's <c>delete-tags --wait</c> through RabbitMQ), the batched raw HTTP sequence, today's per-tag raw sequence
/// (GET, PUT a unique throw-away manifest, DELETE its digest, one tag at a time) and a <c>skopeo delete</c> loop.
/// On distribution a DELETE by digest reads every tag link of the repository, so the per-tag methods slow down as the
/// repository grows; at 2,000 tags they are timed on their first tags only (<see cref="SampleAtLargeSize"/>).
/// </summary>
public static class UntagBenchmark
{
    public static readonly int[] Sizes = [500, 2_000];
    private static readonly Dictionary<string, int> SampleAtLargeSize = new() { [PerTag] = 200, [Skopeo] = 300 };
    private const int Concurrency = 16;
    private const string Worker = "worker end to end", Batched = "batched raw HTTP", BatchedSerialPuts = "batched raw HTTP, PUTs one at a time",
        PerTag = "per-tag raw HTTP", Skopeo = "skopeo loop";

    private sealed record Row(string Method, int Size, int Measured, TimeSpan Elapsed, double Rate, string Result, int AskedGone, int SiblingsKept, int Siblings, int Dangling, string Note = "");

    public static async Task<int> RunAsync()
    {
        var env = BenchEnvironment.FromVariables();
        var publisher = Environment.GetEnvironmentVariable("RC_BENCH_PUBLISHER_DLL") is { Length: > 0 } dll && File.Exists(dll)
            ? dll : throw new InvalidOperationException("RC_BENCH_PUBLISHER_DLL must name the built Publisher: run the benchmarks with bench/run.sh.");
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { BaseAddress = env.Registry };
        var api = new RegistryApi(http);
        var loadBefore = LoadAverage();
        var settings = new WorkerSettings();
        await using var worker = WorkerProcess.Start(env, env.Registry, settings);
        await WarmUpAsync(env, publisher, api, http);

        var rows = new List<Row>();
        foreach (var size in Sizes)
        {
            rows.Add(await ByWorkerAsync(env, publisher, api, size));
            rows.Add(await ByBatchedRawAsync(api, http, size, Concurrency));
            rows.Add(await ByBatchedRawAsync(api, http, size, 1));
            rows.Add(await ByPerTagRawAsync(api, http, size));
            rows.Add(await BySkopeoAsync(env, api, size));
        }
        Console.WriteLine(Render(rows, settings, loadBefore, LoadAverage()));
        return 0;
    }

    /// <summary>Each contender once before anything is timed: the worker's JIT and one-time checks, the registry's caches.</summary>
    private static async Task WarmUpAsync(BenchEnvironment env, string publisher, RegistryApi api, HttpClient http)
    {
        var warm = UntagLayout.For("warmup", 200);
        await warm.PushAsync(api, Concurrency);
        var run = await PublisherCli.DeleteTagsAsync(publisher, env.RabbitMqUri, WorkerProcess.Registry, warm.Repository, warm.AskedTags);
        if (run.Exit != 0)
            throw new BenchFailure($"The worker's warm-up failed (exit {run.Exit}): {run.Error}");
        await Task.Delay(Scenarios.BusRun.Settle);
        var raw = UntagLayout.For("warmup-raw", 40);
        await raw.PushAsync(api, Concurrency);
        await BatchedRawUntag.RunAsync(http, raw.Repository, raw.AskedTags.Take(20).ToList(), Concurrency, Concurrency);
        var perTag = new RawSafeDelete(http);
        await perTag.LearnAsync(raw.Repository, raw.AskedTags[20]);
        foreach (var tag in raw.AskedTags.Skip(21).Take(10))
            await perTag.DeleteAsync(raw.Repository, tag);
        var (ok, error) = await SkopeoLoop.DeleteAsync(env.Registry, raw.Repository, raw.AskedTags[^1]);
        if (!ok)
            throw new BenchFailure($"skopeo delete does not work here: {error}");
    }

    private static async Task<Row> ByWorkerAsync(BenchEnvironment env, string publisher, RegistryApi api, int size)
    {
        var layout = UntagLayout.For("worker", size);
        await layout.PushAsync(api, Concurrency);
        var before = await api.ResolveAllAsync(layout.Repository);
        // The CLI's own start (runtime, broker connection, result queue) timed with one request, and taken off the run.
        var startup = await PublisherCli.DeleteTagsAsync(publisher, env.RabbitMqUri, WorkerProcess.Registry, layout.Repository, ["never-pushed"]);
        var run = await PublisherCli.DeleteTagsAsync(publisher, env.RabbitMqUri, WorkerProcess.Registry, layout.Repository, layout.AskedTags);
        var net = run.Elapsed - startup.Elapsed;
        var outcomes = string.Join(", ", run.Outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Value} `{o.Key}`"));
        return await CheckedAsync(api, layout, before, layout.AskedTags, Worker, net, $"exit {run.Exit}: {outcomes}",
            $"CLI wall time {Seconds(run.Elapsed)}, of which {Seconds(startup.Elapsed)} is the CLI's start (a one-line run)");
    }

    /// <summary>With <paramref name="putConcurrency"/> 1, whether PUTs to different tags side by side are faster (and still exact).</summary>
    private static async Task<Row> ByBatchedRawAsync(RegistryApi api, HttpClient http, int size, int putConcurrency)
    {
        var layout = UntagLayout.For("batched", size);
        await layout.PushAsync(api, Concurrency);
        var before = await api.ResolveAllAsync(layout.Repository);
        var (elapsed, failures) = await BatchedRawUntag.RunAsync(http, layout.Repository, layout.AskedTags, Concurrency, putConcurrency);
        return await CheckedAsync(api, layout, before, layout.AskedTags, putConcurrency == 1 ? BatchedSerialPuts : Batched, elapsed, $"{failures} failed requests",
            $"GETs {Concurrency} at a time, PUTs {putConcurrency} at a time");
    }

    private static async Task<Row> ByPerTagRawAsync(RegistryApi api, HttpClient http, int size)
    {
        var layout = UntagLayout.For("pertag", size);
        await layout.PushAsync(api, Concurrency);
        var before = await api.ResolveAllAsync(layout.Repository);
        var tags = Sample(layout, PerTag);
        var raw = new RawSafeDelete(http);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var failed = 0;
        foreach (var tag in tags)
            failed += await raw.DeleteAsync(layout.Repository, tag) ? 0 : 1;
        return await CheckedAsync(api, layout, before, tags, PerTag, clock.Elapsed, failed == 0 ? "all deleted" : $"{failed} failed ({raw.Failures})", "one tag at a time");
    }

    private static async Task<Row> BySkopeoAsync(BenchEnvironment env, RegistryApi api, int size)
    {
        var layout = UntagLayout.For("skopeo", size);
        await layout.PushAsync(api, Concurrency);
        var before = await api.ResolveAllAsync(layout.Repository);
        var tags = Sample(layout, Skopeo);
        var figures = await SkopeoLoop.RunAsync(env.Registry, tags.Select(t => (layout.Repository, t)));
        var result = figures.Failed == 0 ? $"{figures.Deleted} succeeded" : $"{figures.Deleted} succeeded, {figures.Failed} failed";
        return await CheckedAsync(api, layout, before, tags, Skopeo, figures.Elapsed, result, "one process per tag; deletes by digest");
    }

    private static IReadOnlyList<string> Sample(UntagLayout layout, string method) =>
        layout.Asked > Sizes[0] && SampleAtLargeSize.TryGetValue(method, out var sample) ? [.. layout.AskedTags.Take(sample)] : layout.AskedTags;

    private static async Task<Row> CheckedAsync(RegistryApi api, UntagLayout layout, Dictionary<string, string?> before, IReadOnlyList<string> asked,
        string method, TimeSpan elapsed, string result, string note)
    {
        var after = await api.ResolveAllAsync(layout.Repository);
        var siblings = layout.SiblingsOf(asked);
        return new Row(method, layout.Asked, asked.Count, elapsed, asked.Count / elapsed.TotalSeconds, result,
            asked.Count(t => !after.ContainsKey(t)),
            siblings.Count(s => after.TryGetValue(s, out var digest) && digest is not null && digest == before[s]),
            siblings.Count,
            after.Count(t => t.Value is null),
            asked.Count < layout.Asked ? $"{note}; timed on the first {asked.Count} tags" : note);
    }

    private static string Render(List<Row> rows, WorkerSettings settings, string loadBefore, string loadAfter)
    {
        var md = new StringBuilder();
        md.AppendLine("## (5) Exact untag on Debian's docker-registry (distribution 2.8): 500 and 2,000 tags in one repository");
        md.AppendLine();
        md.AppendLine($"Load average (1, 5, 15 min) before: {loadBefore}; after: {loadAfter}. Worker settings: {settings.Describe()}, " +
                      "untag batches at their defaults. Each method gets a fresh repository: the tags to delete, each on an image of its own, " +
                      "and for every tenth of them a sibling tag on the same image that is not asked for. \"Dangling\": tags still listed whose manifest is unknown.");
        md.AppendLine();
        md.AppendLine("| method | tags in the repository | tags timed | time | rate | result | asked tags gone | siblings kept (same digest) | dangling | notes |");
        md.AppendLine("|---|---:|---:|---:|---:|---|---:|---:|---:|---|");
        foreach (var r in rows)
            md.AppendLine($"| {r.Method} | {r.Size:N0} | {r.Measured:N0} | {Seconds(r.Elapsed)} | **{r.Rate:F1}/s** | {r.Result} | {r.AskedGone} of {r.Measured} | {r.SiblingsKept} of {r.Siblings} | {r.Dangling} | {r.Note} |");
        md.AppendLine();
        md.AppendLine("| target | measured | verdict |");
        md.AppendLine("|---|---|---|");
        double Rate(string method, int size) => rows.Single(r => r.Method == method && r.Size == size).Rate;
        foreach (var size in Sizes)
        {
            var worker = Rate(Worker, size);
            md.AppendLine($"| worker ≥ 0.8 × batched raw HTTP, {size:N0} tags | {worker / Rate(Batched, size):F2}×: {worker:F1}/s vs {Rate(Batched, size):F1}/s | {Verdict(worker >= 0.8 * Rate(Batched, size))} |");
            var factor = size == Sizes[0] ? 3 : 4;
            md.AppendLine($"| worker ≥ {factor}× the skopeo loop, {size:N0} tags | {worker / Rate(Skopeo, size):F2}×: {worker:F1}/s vs {Rate(Skopeo, size):F1}/s | {Verdict(worker >= factor * Rate(Skopeo, size))} |");
        }
        var small = Rate(Worker, Sizes[0]);
        var large = Rate(Worker, Sizes[1]);
        md.AppendLine($"| worker's rate at {Sizes[1]:N0} tags within 20% of its rate at {Sizes[0]:N0} | {large / small:F2}: {large:F1}/s vs {small:F1}/s | {Verdict(large >= 0.8 * small)} |");
        var exact = rows.Where(r => r.Method == Worker).All(r => r.AskedGone == r.Measured && r.SiblingsKept == r.Siblings && r.Dangling == 0);
        md.AppendLine($"| worker: every asked tag gone, every sibling keeps its digest, no tag dangling | " +
                      string.Join("; ", rows.Where(r => r.Method == Worker).Select(r => $"{r.Size:N0}: {r.AskedGone} of {r.Measured} gone, {r.SiblingsKept} of {r.Siblings} siblings kept, {r.Dangling} dangling")) +
                      $" | {Verdict(exact)} |");
        return md.ToString();
    }

    private static string Verdict(bool met) => met ? "met" : "**missed**";
    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) + " s";
    private static string LoadAverage() => string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
