using RegistryCleaner.Bench.Measure;
using RegistryCleaner.Bench.Messaging;
using RegistryCleaner.Bench.Processes;
using RegistryCleaner.Bench.Profiling;
using RegistryCleaner.Contracts;

namespace RegistryCleaner.Bench.Scenarios;

/// <summary>
/// Commands through RabbitMQ to a consuming process and back as result events: a warm-up batch (which also waits for
/// the process to connect), then the measured burst (all sent at once), then optionally a paced batch for latency
/// without a queue.
/// </summary>
public static class BusRun
{
    public const double PacedPerSecond = 200;

    /// <summary>
    /// The pause after the warm-up: the runtime recompiles the code the warm-up made hot in the background (tiered JIT),
    /// and a burst started at once would pay for that compilation: several milliseconds of CPU per command in a
    /// 500-command run. The bench process and its plain-HTTP contenders are past that point by then; the worker is a
    /// long-running service, so it is measured past it too.
    /// </summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Starts the consuming process on an empty queue and measures it. With <paramref name="tracePath"/>, the burst is
    /// also recorded as a trace of the consuming process and analysed (which costs it some CPU: profile in a run of its own).
    /// </summary>
    public static async Task<BusFigures> MeasureAsync(BenchEnvironment env, BenchBus bus, Func<ChildProcess> start, string role, string queue,
        IReadOnlyList<DeleteTag> warmup, IReadOnlyList<DeleteTag> burst, IReadOnlyList<DeleteTag> paced, (string Role, int? Pid)[] alsoMeasured,
        string? tracePath = null)
    {
        await BenchBus.PurgeAsync(env.RabbitMqUri, queue);
        await using var consumer = start();
        return await MeasureAsync(env, bus, consumer, role, queue, warmup, burst, paced, alsoMeasured, tracePath);
    }

    private static async Task<BusFigures> MeasureAsync(BenchEnvironment env, BenchBus bus, ChildProcess consumer, string role, string queue,
        IReadOnlyList<DeleteTag> warmup, IReadOnlyList<DeleteTag> burst, IReadOnlyList<DeleteTag> paced, (string Role, int? Pid)[] alsoMeasured,
        string? tracePath)
    {
        var first = new ResultBatch(warmup);
        await bus.SendAllAsync(first, queue);
        await first.WaitAsync(TimeSpan.FromSeconds(60), consumer);
        await Task.Delay(Settle);

        await using var trace = tracePath is null ? null : TraceRecorder.Start(consumer.Pid, tracePath);
        var cpu = CpuMeter.Start([(Roles.Bench, Environment.ProcessId), (role, consumer.Pid), (Roles.RabbitMq, env.RabbitMqPid), .. alsoMeasured]);
        var measured = new ResultBatch(burst);
        await bus.SendAllAsync(measured, queue);
        await measured.WaitAsync(TimeSpan.FromSeconds(30), consumer);
        var use = cpu.Stop();
        var profile = trace is null ? null : await trace.AnalyseAsync();
        var peak = consumer.PeakResidentBytes();

        BatchFigures? steady = null;
        if (paced.Count > 0)
        {
            var batch = new ResultBatch(paced);
            await bus.SendPacedAsync(batch, queue, PacedPerSecond);
            await batch.WaitAsync(TimeSpan.FromSeconds(30), consumer);
            steady = batch.Figures();
        }
        return new BusFigures(measured.Figures(), steady, use, peak, profile);
    }
}

/// <summary>A burst through the bus, its CPU use, the paced latency run if any, and the consumer's peak resident memory.</summary>
public sealed record BusFigures(BatchFigures Burst, BatchFigures? Paced, CpuUse Cpu, long? PeakResidentBytes, TraceAnalysis? Profile = null);
