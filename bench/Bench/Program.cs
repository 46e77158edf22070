using RegistryCleaner.Bench;
using RegistryCleaner.Bench.Messaging;
using RegistryCleaner.Bench.Report;

var which = args.Length > 0 ? args[0] : "planner";
switch (which)
{
    case "planner":
        Console.WriteLine(PlannerBenchmark.Run());
        return 0;
    case "planner-one-repository":
        Console.WriteLine(PlannerScaleBenchmark.OneRepository(args.Length > 1 ? int.Parse(args[1]) : 1_000_000));
        return 0;
    case "planner-streamed-run":
        Console.WriteLine(await PlannerScaleBenchmark.StreamedRun());
        return 0;
    case "throughput":
        return await ThroughputBenchmark.RunAsync(args[1..]);
    case "untag":
        return await RegistryCleaner.Bench.Untag.UntagBenchmark.RunAsync();
    case "hostile":
        return await HostileReport.RunAsync();
    case "profile-trace" when args.Length > 2:
        var tables = new System.Text.StringBuilder();
        ProfileReport.Tables(tables, RegistryCleaner.Bench.Profiling.TraceAnalysis.Read(args[1]), int.Parse(args[2]));
        Console.WriteLine(tables);
        return 0;
    case "noop-consumer":
        return await NoopConsumer.RunAsync();
    default:
        Console.Error.WriteLine($"Unknown benchmark '{which}'. Known: planner, planner-one-repository, planner-streamed-run, throughput [1a] [1b] [2] [3] [4] [profile], untag, hostile, profile-trace <file> <commands>.");
        return 2;
}
