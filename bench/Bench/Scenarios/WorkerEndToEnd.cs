using RegistryCleaner.Bench.Measure;
using RegistryCleaner.Bench.Messaging;
using RegistryCleaner.Bench.Processes;
using RegistryCleaner.Contracts;

namespace RegistryCleaner.Bench.Scenarios;

/// <summary>
/// (2) and (3) The real worker process against the sandbox, through RabbitMQ: every command must end in a
/// <c>Deleted</c> result and the sandbox must be left without a tag.
/// </summary>
public static class WorkerEndToEnd
{
    public static async Task<BusFigures> RunAsync(BenchEnvironment env, BenchBus bus, WorkerSettings settings, int commands, TimeSpan? latency, bool paced,
        string? tracePath = null)
    {
        var warmup = Workload.Commands("warmup", 500);
        var burst = Workload.Commands("app", commands);
        var steady = paced ? Workload.Commands("paced", 1_000) : [];
        await using var sandbox = await Workload.SandboxAsync([.. warmup, .. burst, .. steady], latency);
        var figures = await BusRun.MeasureAsync(env, bus, () => WorkerProcess.Start(env, sandbox.EndpointOf(WorkerProcess.Registry), settings), Roles.Worker, QueueNames.DeleteTag, warmup, burst, steady, [], tracePath);

        var left = sandbox.State.TagCount(WorkerProcess.Registry);
        var notDeleted = figures.Burst.Count - figures.Burst.Deleted;
        if (left != 0 || notDeleted != 0)
            throw new BenchFailure($"{notDeleted:N0} commands did not end in Deleted ({figures.Burst.FirstFailure}); {left:N0} tags are left in the sandbox.");
        return figures;
    }
}
