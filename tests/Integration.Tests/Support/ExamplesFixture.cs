using System.Diagnostics;
using RegistryCleaner.Contracts;

namespace RegistryCleaner.Integration.Tests.Support;

/// <summary>
/// The worker as its own process, on a virtual host of its own, with registry "prod" (as the examples name it) on the real
/// docker-registry; and a way to run the examples in examples/ against it, as a CI job would.
/// </summary>
public sealed class ExamplesFixture : IAsyncLifetime
{
    public const string Registry = "prod";

    private WorkerProcess? _worker;

    public BatchVirtualHost VirtualHost { get; private set; } = null!;
    public ImagePusher Images { get; } = new(TestServices.OciRegistry);
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public async Task InitializeAsync()
    {
        VirtualHost = await BatchVirtualHost.CreateAsync("examples");
        _worker = await WorkerProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Transport__Kind"] = "RabbitMq",
            ["Transport__RabbitMq__Uri"] = VirtualHost.RabbitMqUri,
            [$"Registries__{Registry}__Kind"] = "Oci",
            [$"Registries__{Registry}__Endpoint"] = TestServices.OciRegistry.ToString(),
        });
    }

    /// <summary>Runs a program from the repository root with <c>AMQP_URL</c> set to this worker's broker; returns its exit code and output.</summary>
    public async Task<(int Exit, string Output, string Error)> RunAsync(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["AMQP_URL"] = VirtualHost.RabbitMqUri;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not end within 120 s: {await output}{await error}");
        }
        return (process.ExitCode, await output, await error);
    }

    /// <summary>A repository on the real registry with <paramref name="tag"/> and a sibling sharing its digest.</summary>
    public async Task<string> RepositoryWithAsync(string tag)
    {
        var repository = TestServices.UniqueRepository("example");
        await Images.PushAsync(repository, "image", tag, tag + "-sibling");
        return repository;
    }

    public async Task DisposeAsync()
    {
        if (_worker is not null)
            await _worker.DisposeAsync();
        await VirtualHost.DeleteAsync();
        Images.Dispose();
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Worker.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException("The repository root (with Worker.sln) is not above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class ExamplesCollection : ICollectionFixture<ExamplesFixture>
{
    public const string Name = "examples against a worker process";
}
