using RegistryCleaner.Bench;

var which = args.Length > 0 ? args[0] : "planner";
switch (which)
{
    case "planner":
        Console.WriteLine(PlannerBenchmark.Run());
        return 0;
    default:
        Console.Error.WriteLine($"Unknown benchmark '{which}'. Known: planner.");
        return 2;
}
