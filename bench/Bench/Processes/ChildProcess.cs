using System.Diagnostics;
using System.Runtime.InteropServices;

namespace RegistryCleaner.Bench.Processes;

/// <summary>
/// A .NET program run as its own OS process (as in production), with its output kept for a failure report, its
/// peak memory read from /proc, and a graceful stop (SIGTERM) when disposed.
/// </summary>
public sealed partial class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];

    private ChildProcess(Process process) => _process = process;

    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    public static ChildProcess StartDotnet(string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment)
            info.Environment[key] = value;
        var process = new Process { StartInfo = info };
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) => child.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => child.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Why the process has stopped doing its work, or null while it runs.</summary>
    public string? Exited()
    {
        if (!HasExited)
            return null;
        lock (_lines)
            return $"The process exited with code {_process.ExitCode}: {FirstException() ?? string.Join(" | ", _lines.TakeLast(5))}";
    }

    /// <summary>What the process said that may explain a stall: the first exception it logged, if any.</summary>
    public string Explain()
    {
        lock (_lines)
            return FirstException() is { } exception ? $"The process logged: {exception}" : $"The process wrote {_lines.Count} line(s) and no exception.";
    }

    private string? FirstException() =>
        _lines.FirstOrDefault(l => l.Contains("Exception", StringComparison.Ordinal) && !l.TrimStart().StartsWith("at ", StringComparison.Ordinal))?.Trim();

    /// <summary>The most resident memory the process has held since it started (VmHWM), in bytes.</summary>
    public long? PeakResidentBytes() => StatusKilobytes("VmHWM") * 1024;

    private long? StatusKilobytes(string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{Pid}/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Keeps the first lines the process writes: at Warning level a healthy process writes next to nothing.</summary>
    private void Keep(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
            return;
        lock (_lines)
        {
            if (_lines.Count < 200)
                _lines.Add(line.Length > 400 ? line[..400] : line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, 15);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
