using System.Net;
using RegistryCleaner.Bench.Measure;
using RegistryCleaner.Bench.Processes;
using RegistryCleaner.Contracts;

namespace RegistryCleaner.Bench.Scenarios;

/// <summary>(1a) The registry side alone: one <c>DELETE</c> per tag straight at the sandbox, at the worker's concurrency, no broker.</summary>
public static class SandboxHttpBaseline
{
    public static async Task<HttpBaselineFigures> RunAsync(BenchEnvironment env, int concurrency)
    {
        var warmup = Workload.Commands("warmup", 1_000);
        var measured = Workload.Commands("app", env.Commands);
        await using var sandbox = await Workload.SandboxAsync([.. warmup, .. measured]);
        var endpoint = sandbox.EndpointOf(WorkerProcess.Registry);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });

        async Task<bool> DeleteAsync(DeleteTag command)
        {
            using var response = await http.DeleteAsync(new Uri(endpoint, $"v2/{command.Repository}/manifests/{command.Tag}"));
            return response.StatusCode == HttpStatusCode.Accepted;
        }

        await Concurrently.RunAsync(warmup.Count, concurrency, i => DeleteAsync(warmup[i]));
        var cpu = CpuMeter.Start((Roles.Bench, Environment.ProcessId));
        var run = await Concurrently.RunAsync(measured.Count, concurrency, i => DeleteAsync(measured[i]));
        var use = cpu.Stop();
        if (run.Failures > 0 || sandbox.State.TagCount(WorkerProcess.Registry) != 0)
            throw new BenchFailure($"{run.Failures:N0} deletes did not answer 202; {sandbox.State.TagCount(WorkerProcess.Registry):N0} tags are left.");
        return new HttpBaselineFigures(run, use, concurrency);
    }
}

public sealed record HttpBaselineFigures(RunFigures Run, CpuUse Cpu, int Concurrency);
