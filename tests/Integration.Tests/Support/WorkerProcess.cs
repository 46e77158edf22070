using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace RegistryCleaner.Integration.Tests.Support;

/// <summary>
/// The real worker as an OS process of its own (<c>dotnet RegistryCleaner.Worker.dll</c>), configured only through
/// environment variables, as a container runs it. It can be stopped politely (SIGTERM) or killed outright (SIGKILL).
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private const int KeptLines = 400;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProcess(Process process) => _process = process;

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    /// <summary>The last lines the worker wrote (standard output and error), for failure messages.</summary>
    public string Output => string.Join(Environment.NewLine, _lines);

    /// <summary>Starts a worker and waits until it reports that it has started (its bus connected, its queues declared).</summary>
    public static async Task<WorkerProcess> StartAsync(IReadOnlyDictionary<string, string?> environment, TimeSpan? timeout = null)
    {
        var worker = Launch(environment);
        try
        {
            await worker._started.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(90));
        }
        catch (TimeoutException)
        {
            await worker.DisposeAsync();
            throw new TimeoutException($"The worker did not start in time. Its output:{Environment.NewLine}{worker.Output}");
        }
        catch (InvalidOperationException)
        {
            await worker.DisposeAsync();
            throw;
        }
        return worker;
    }

    /// <summary>Runs a worker that is expected to stop on its own (a bad configuration); returns its exit code and output.</summary>
    public static async Task<(int Exit, string Output)> RunToExitAsync(IReadOnlyDictionary<string, string?> environment, TimeSpan timeout)
    {
        await using var worker = Launch(environment);
        using var cancel = new CancellationTokenSource(timeout);
        await worker._process.WaitForExitAsync(cancel.Token);
        worker._process.WaitForExit(); // drains the redirected output
        return (worker._process.ExitCode, worker.Output);
    }

    /// <summary>SIGKILL: the process ends at once, with whatever it had in flight unacknowledged.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, as a container runtime stops a container: the worker finishes what it holds, then exits.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
            return;
        _ = SendSignal(_process.Id, SigTerm);
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(20));
        _process.Dispose();
    }

    private static WorkerProcess Launch(IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "RegistryCleaner.Worker.dll"));
        // Only what the test gives: nothing of the test run's own settings leaks into the worker.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("RC_", StringComparison.Ordinal) || k.Contains("__", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        // The journal of this test run's workers on one broker virtual host, apart from any real one in the user's data
        // directory and from the workers of the tests that run beside them.
        start.Environment["Journal__Sqlite__Path"] = Path.Combine(Path.GetTempPath(), "registry-cleaner-tests", Environment.ProcessId.ToString(),
            JournalFolder(environment.GetValueOrDefault("Transport__RabbitMq__Uri")), "journal.db");
        foreach (var (key, value) in environment)
            start.Environment[key] = value;

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var worker = new WorkerProcess(process);
        process.OutputDataReceived += (_, e) => worker.Record(e.Data);
        process.ErrorDataReceived += (_, e) => worker.Record(e.Data);
        process.Exited += (_, _) => worker._started.TrySetException(
            new InvalidOperationException($"The worker exited with code {process.ExitCode} before it started. Its output:{Environment.NewLine}{worker.Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    private static string JournalFolder(string? brokerUri) =>
        brokerUri is null ? "no-broker" : Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(brokerUri)))[..12];

    private void Record(string? line)
    {
        if (line is null)
            return;
        _lines.Enqueue(line);
        while (_lines.Count > KeptLines)
            _lines.TryDequeue(out _);
        if (line.Contains("Application started", StringComparison.Ordinal))
            _started.TrySetResult();
    }

    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
