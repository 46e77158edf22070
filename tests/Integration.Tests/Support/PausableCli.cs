using System.Diagnostics;

namespace RegistryCleaner.Integration.Tests.Support;

/// <summary>
/// The Publisher CLI as its own process, which the test can pause and resume (SIGSTOP, SIGCONT) as a machine too
/// busy to schedule it would.
/// </summary>
public sealed class PausableCli : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _output;
    private readonly Task<string> _error;
    private readonly string _command;

    private PausableCli(Process process, string command)
    {
        _process = process;
        _command = command;
        _output = process.StandardOutput.ReadToEndAsync();
        _error = process.StandardError.ReadToEndAsync();
    }

    public bool HasExited => _process.HasExited;

    public static PausableCli Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(CliPath.Dll);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        return new PausableCli(Process.Start(start)!, $"registry-cleaner {string.Join(' ', args)}");
    }

    public void Pause() => Signals.Send(_process.Id, Signals.Stop);

    public void Resume() => Signals.Send(_process.Id, Signals.Continue);

    /// <summary>Waits for the command to end; past <paramref name="limit"/> it is killed and what it wrote is reported.</summary>
    public async Task<BatchCli.Run> WaitAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            throw new TimeoutException($"{_command} did not end within {limit.TotalSeconds:F0} s.\n--- stdout (last lines)\n{Tail(await _output)}\n--- stderr\n{Tail(await _error)}");
        }
        return new BatchCli.Run(_process.ExitCode, await _output, await _error);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(20));
}
