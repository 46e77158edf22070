using RegistryCleaner.Bench.Measure;
using RegistryCleaner.Bench.Messaging;
using RegistryCleaner.Bench.Processes;

namespace RegistryCleaner.Bench.Scenarios;

/// <summary>(1b) The messaging round trip alone: a no-op consumer process with the worker's prefetch and concurrency.</summary>
public static class BusRoundTrip
{
    public static async Task<BusFigures> RunAsync(BenchEnvironment env, BenchBus bus, WorkerSettings settings)
    {
        var variables = settings.Variables(env.RabbitMqUri, new Uri("http://127.0.0.1/"))
            .Where(v => v.Key.StartsWith("Transport__", StringComparison.Ordinal) || v.Key.StartsWith("Consumers__", StringComparison.Ordinal))
            .ToDictionary();
        return await BusRun.MeasureAsync(env, bus, () => ChildProcess.StartDotnet(typeof(BenchBus).Assembly.Location, ["noop-consumer"], variables), Roles.Consumer, NoopConsumer.Queue,
            Workload.Commands("warmup", 500), Workload.Commands("app", env.Commands), Workload.Commands("paced", 1_000), []);
    }
}
