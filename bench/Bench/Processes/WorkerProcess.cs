namespace RegistryCleaner.Bench.Processes;

/// <summary>The real worker as it is deployed: its own process, configured only through environment variables.</summary>
public static class WorkerProcess
{
    public const string Registry = "bench";

    /// <summary>Extra variables for the worker only, from <c>RC_BENCH_WORKER_ENV</c> ("NAME=value;NAME=value"), to try a setting.</summary>
    public static ChildProcess Start(BenchEnvironment env, Uri registryEndpoint, WorkerSettings settings)
    {
        var variables = new Dictionary<string, string>(settings.Variables(env.RabbitMqUri, registryEndpoint));
        foreach (var pair in (Environment.GetEnvironmentVariable("RC_BENCH_WORKER_ENV") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=');
            if (equals <= 0)
                throw new InvalidOperationException($"RC_BENCH_WORKER_ENV: '{pair}' is not NAME=value.");
            variables[pair[..equals]] = pair[(equals + 1)..];
        }
        return ChildProcess.StartDotnet(env.WorkerDll, [], variables);
    }
}

/// <summary>The worker settings a run uses; <see cref="Variables"/> are exactly what the process gets.</summary>
public sealed record WorkerSettings(int MaxConcurrency = 16, int ConcurrentMessageLimit = 64, int PrefetchCount = 64)
{
    public IReadOnlyDictionary<string, string> Variables(string rabbitMqUri, Uri registryEndpoint) => new Dictionary<string, string>
    {
        ["Transport__Kind"] = "RabbitMq",
        ["Transport__RabbitMq__Uri"] = rabbitMqUri,
        ["Transport__RabbitMq__PrefetchCount"] = PrefetchCount.ToString(),
        ["Consumers__ConcurrentMessageLimit"] = ConcurrentMessageLimit.ToString(),
        [$"Registries__{WorkerProcess.Registry}__Kind"] = "Oci",
        [$"Registries__{WorkerProcess.Registry}__Endpoint"] = registryEndpoint.ToString(),
        [$"Registries__{WorkerProcess.Registry}__MaxConcurrency"] = MaxConcurrency.ToString(),
        ["Logging__LogLevel__Default"] = "Warning",
    };

    public string Describe() => $"`Registries__{WorkerProcess.Registry}__MaxConcurrency={MaxConcurrency}`, `Consumers__ConcurrentMessageLimit={ConcurrentMessageLimit}`, `Transport__RabbitMq__PrefetchCount={PrefetchCount}`";
}
