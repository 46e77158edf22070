using System.Diagnostics;

namespace RegistryCleaner.Integration.Tests.Support;

/// <summary>
/// A docker-registry of the test's own (deletion enabled), in a temporary directory, that the test can stop, garbage-collect
/// offline as an operator would, measure on disk, and start again.
/// </summary>
public sealed class PrivateRegistry : IAsyncDisposable
{
    private readonly string _directory;
    private readonly string _config;
    private Process? _server;

    private PrivateRegistry(int port)
    {
        Port = port;
        _directory = Directory.CreateTempSubdirectory("registry-cleaner-private-registry").FullName;
        _config = Path.Combine(_directory, "config.yml");
        File.WriteAllText(_config, $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {DataDirectory}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
            """);
    }

    public int Port { get; }
    public Uri Url => new($"http://127.0.0.1:{Port}");
    public string DataDirectory => Path.Combine(_directory, "data");

    public static async Task<PrivateRegistry> StartAsync(int port)
    {
        var registry = new PrivateRegistry(port);
        await registry.StartAsync();
        return registry;
    }

    public async Task StartAsync()
    {
        _server = Process.Start(new ProcessStartInfo("docker-registry", ["serve", _config]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        _server.OutputDataReceived += (_, _) => { };
        _server.ErrorDataReceived += (_, _) => { };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.TrueAsync(async () =>
        {
            if (_server.HasExited)
                throw new InvalidOperationException($"docker-registry did not start on port {Port}: it exited.");
            try
            {
                using var response = await http.GetAsync(new Uri(Url, "v2/"));
                return response.IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, describe: () => $"docker-registry did not start on port {Port}");
    }

    public async Task StopAsync()
    {
        if (_server is null)
            return;
        if (!_server.HasExited)
            _server.Kill();
        await _server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _server.Dispose();
        _server = null;
    }

    /// <summary>Plain <c>docker-registry garbage-collect</c> (no <c>--delete-untagged</c>), with the registry stopped, as distribution requires.</summary>
    public async Task<string> GarbageCollectAsync()
    {
        using var gc = Process.Start(new ProcessStartInfo("docker-registry", ["garbage-collect", _config]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = gc.StandardOutput.ReadToEndAsync();
        var error = gc.StandardError.ReadToEndAsync();
        await gc.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        if (gc.ExitCode != 0)
            throw new InvalidOperationException($"garbage-collect failed ({gc.ExitCode}): {await error}");
        return await output;
    }

    /// <summary>The bytes of every file the registry stores.</summary>
    public long BytesOnDisk() => Directory.Exists(DataDirectory)
        ? Directory.EnumerateFiles(DataDirectory, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length)
        : 0;

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
