using RegistryCleaner.Bench;
using RegistryCleaner.Bench.Messaging;
using RegistryCleaner.Bench.Report;

var which = args.Length > 0 ? args[0] : "planner";
switch (which)
{
    case "planner":
        Console.WriteLine(PlannerBenchmark.Run());
        return 0;
    case "throughput":
        return await ThroughputBenchmark.RunAsync(args[1..]);
    case "hostile":
        return await HostileReport.RunAsync();
    case "noop-consumer":
        return await NoopConsumer.RunAsync();
    default:
        Console.Error.WriteLine($"Unknown benchmark '{which}'. Known: planner, throughput [1a] [1b] [2] [3] [4] [profile], hostile.");
        return 2;
}
