using System.Diagnostics;
using RegistryCleaner.Bench.Measure;
using RegistryCleaner.Bench.Messaging;
using RegistryCleaner.Bench.Processes;
using RegistryCleaner.Bench.Registry;
using RegistryCleaner.Contracts;

namespace RegistryCleaner.Bench.Scenarios;

/// <summary>
/// (4) The real registry: the same 500 tags (fresh repositories for each method, pushed the same way) deleted by the
/// worker, by bare HTTP issuing the worker's request sequence at the same concurrency, by that sequence one tag at a
/// time per repository, and by a <c>skopeo delete</c> loop.
/// </summary>
public static class RegistryComparison
{
    /// <summary>What distribution 2.8 logs when a DELETE's tag lookup read a tag link that a concurrent PUT was rewriting.</summary>
    public const string TornLinkError = "invalid checksum digest format";

    public static async Task<RegistryFigures> RunAsync(BenchEnvironment env, BenchBus bus, WorkerSettings settings)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = settings.MaxConcurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = env.Registry,
        };
        var api = new RegistryApi(http);
        var worker = await ByWorkerAsync(env, bus, settings, api);
        var raw = await ByRawHttpAsync(env, settings, api, http, perRepository: false);
        var rawPerRepository = await ByRawHttpAsync(env, settings, api, http, perRepository: true);
        var skopeo = await BySkopeoAsync(env, api);
        return new RegistryFigures(worker, raw, rawPerRepository, skopeo, worker.SiblingPairs);
    }

    private static async Task<WorkerOnRegistry> ByWorkerAsync(BenchEnvironment env, BenchBus bus, WorkerSettings settings, RegistryApi api)
    {
        var warmup = RegistryLayout.For("warmup-worker", 200);
        var layout = RegistryLayout.For("worker", BenchEnvironment.RegistryTags);
        await api.PushAsync(warmup, settings.MaxConcurrency);
        await api.PushAsync(layout, settings.MaxConcurrency);
        var errorsBefore = env.RegistryLogCount(TornLinkError);
        var figures = await BusRun.MeasureAsync(env, bus, () => WorkerProcess.Start(env, env.Registry, settings), Roles.Worker, QueueNames.DeleteTag,
            Commands(warmup), Commands(layout), [], [(Roles.Registry, env.RegistryPid)]);
        return new WorkerOnRegistry(figures, await api.TagsLeftAsync(layout), env.RegistryLogCount(TornLinkError) - errorsBefore, layout.SiblingPairs);
    }

    private static async Task<RawOnRegistry> ByRawHttpAsync(BenchEnvironment env, WorkerSettings settings, RegistryApi api, HttpClient http, bool perRepository)
    {
        var warmup = RegistryLayout.For("warmup-raw", 50);
        var layout = RegistryLayout.For(perRepository ? "raw-serial" : "raw", BenchEnvironment.RegistryTags);
        await api.PushAsync(warmup, settings.MaxConcurrency);
        await api.PushAsync(layout, settings.MaxConcurrency);
        var warm = new RawSafeDelete(http);
        var warmupTags = warmup.Tags.ToList();
        await warm.LearnAsync(warmupTags[0].Repository, warmupTags[0].Tag);
        await Concurrently.RunAsync(warmupTags.Count, 1, i => warm.DeleteAsync(warmupTags[i].Repository, warmupTags[i].Tag));

        var raw = new RawSafeDelete(http);
        var errorsBefore = env.RegistryLogCount(TornLinkError);
        var cpu = CpuMeter.Start((Roles.Bench, Environment.ProcessId), (Roles.Registry, env.RegistryPid));
        RunFigures run;
        if (perRepository)
        {
            run = await OnePerRepositoryAsync(layout, raw);
        }
        else
        {
            var tags = layout.Tags.ToList();
            run = await Concurrently.RunAsync(tags.Count, settings.MaxConcurrency, i => raw.DeleteAsync(tags[i].Repository, tags[i].Tag));
        }
        var use = cpu.Stop();
        return new RawOnRegistry(run, use, await api.TagsLeftAsync(layout), env.RegistryLogCount(TornLinkError) - errorsBefore, raw.Failures,
            perRepository ? layout.Repositories : settings.MaxConcurrency);
    }

    /// <summary>Each repository's tags one after the other, the repositories side by side.</summary>
    private static async Task<RunFigures> OnePerRepositoryAsync(RegistryLayout layout, RawSafeDelete raw)
    {
        var byRepository = layout.Tags.GroupBy(t => t.Repository).Select(g => g.ToList()).ToList();
        var latencies = new List<double>();
        var failures = 0;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(byRepository.Select(tags => Task.Run(async () =>
        {
            foreach (var (repository, tag) in tags)
            {
                var at = Stopwatch.GetTimestamp();
                var ok = await raw.DeleteAsync(repository, tag);
                lock (latencies)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(at).TotalMilliseconds);
                    failures += ok ? 0 : 1;
                }
            }
        })));
        var elapsed = Stopwatch.GetElapsedTime(started);
        latencies.Sort();
        return new RunFigures(latencies.Count, elapsed, Latencies.Percentile(latencies, 50), Latencies.Percentile(latencies, 99), failures);
    }

    private static async Task<SkopeoOnRegistry> BySkopeoAsync(BenchEnvironment env, RegistryApi api)
    {
        var warmup = RegistryLayout.For("warmup-skopeo", 1);
        var layout = RegistryLayout.For("skopeo", BenchEnvironment.RegistryTags);
        await api.PushAsync(warmup, 1);
        await api.PushAsync(layout, 16);
        var (ok, error) = await SkopeoLoop.DeleteAsync(env.Registry, warmup.Tags.First().Repository, warmup.Tags.First().Tag);
        if (!ok)
            throw new BenchFailure($"skopeo delete does not work here: {error}");
        var cpu = CpuMeter.Start((Roles.Registry, env.RegistryPid));
        var figures = await SkopeoLoop.RunAsync(env.Registry, layout.Tags);
        var use = cpu.Stop();
        return new SkopeoOnRegistry(figures, use, await api.TagsLeftAsync(layout));
    }

    private static List<DeleteTag> Commands(RegistryLayout layout) => [.. layout.Tags.Select(t => Workload.Command(t.Repository, t.Tag))];
}

public sealed record WorkerOnRegistry(BusFigures Figures, int TagsLeft, int TornLinkErrors, int SiblingPairs);

public sealed record RawOnRegistry(RunFigures Run, CpuUse Cpu, int TagsLeft, int TornLinkErrors, string Failures, int Concurrency);

public sealed record SkopeoOnRegistry(SkopeoFigures Figures, CpuUse Cpu, int TagsLeft);

public sealed record RegistryFigures(WorkerOnRegistry Worker, RawOnRegistry Raw, RawOnRegistry RawPerRepository, SkopeoOnRegistry Skopeo, int SiblingPairs);
