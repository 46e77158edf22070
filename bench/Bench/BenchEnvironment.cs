namespace RegistryCleaner.Bench;

/// <summary>What the run script hands over: the services it started, the worker to measure, and the size of the runs.</summary>
public sealed record BenchEnvironment(string RabbitMqUri, Uri Registry, string WorkerDll, string? ServicesDir, int RegistryPort, int Commands)
{
    public const int RegistryTags = 500;

    public static BenchEnvironment FromVariables()
    {
        var registry = Required("RC_TEST_OCI_URL");
        var commands = int.TryParse(Environment.GetEnvironmentVariable("RC_BENCH_COMMANDS"), out var n) && n >= 1_000 ? n : 20_000;
        var worker = Path.GetFullPath(Required("RC_BENCH_WORKER_DLL"));
        if (!File.Exists(worker))
            throw new InvalidOperationException($"The worker is not built: {worker} is missing.");
        return new BenchEnvironment(Required("RC_TEST_RABBITMQ_URI"), new Uri(registry.TrimEnd('/') + "/"), worker,
            Environment.GetEnvironmentVariable("RC_SERVICES_DIR"), new Uri(registry).Port, commands);
    }

    /// <summary>The RabbitMQ server (the Erlang VM), for its CPU time; null when the services were started elsewhere.</summary>
    public int? RabbitMqPid => PidFrom(Path.Combine(ServicesDir ?? "", "rabbitmq", "rabbitmq.pid"));

    public int? RegistryPid => PidFrom(Path.Combine(ServicesDir ?? "", $"registry-{RegistryPort}.pid"));

    /// <summary>How many times the registry has logged <paramref name="text"/> so far (0 when its log is not at hand).</summary>
    public int RegistryLogCount(string text)
    {
        var log = Path.Combine(ServicesDir ?? "", $"registry-{RegistryPort}", "registry.log");
        if (!File.Exists(log))
            return 0;
        using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var count = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.Contains(text, StringComparison.Ordinal))
                count++;
        }
        return count;
    }

    private static int? PidFrom(string file) =>
        File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), out var pid) ? pid : null;

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run the benchmarks with bench/run.sh.");
}
