using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace RegistryCleaner.Bench.Profiling;

/// <summary>
/// Records an EventPipe trace of another .NET process, as dotnet-trace's cpu-sampling profile does: stack samples
/// about every millisecond, the runtime's JIT and loader events to name the frames, and GC events (allocation ticks
/// included) to count collections and see what is allocated. The trace is deleted afterwards unless RC_BENCH_KEEP_TRACE
/// names a directory to move it to (<c>profile-trace &lt;file&gt;</c> analyses it again).
/// </summary>
public sealed class TraceRecorder : IAsyncDisposable
{
    private readonly EventPipeSession _session;
    private readonly Task _copy;

    private TraceRecorder(EventPipeSession session, Task copy, string path)
    {
        _session = session;
        _copy = copy;
        Path = path;
    }

    public string Path { get; }

    public static TraceRecorder Start(int pid, string path)
    {
        var keywords = (long)(ClrTraceEventParser.Keywords.Default | ClrTraceEventParser.Keywords.GC);
        EventPipeProvider[] providers =
        [
            new("Microsoft-DotNETCore-SampleProfiler", EventLevel.Informational),
            new("Microsoft-Windows-DotNETRuntime", EventLevel.Verbose, keywords),
        ];
        var session = new DiagnosticsClient(pid).StartEventPipeSession(providers, requestRundown: true, circularBufferMB: 256);
        var file = File.Create(path);
        var copy = Task.Run(async () =>
        {
            await using (file)
                await session.EventStream.CopyToAsync(file);
        });
        return new TraceRecorder(session, copy, path);
    }

    /// <summary>Ends the session (the rundown completes the trace) and reads the trace.</summary>
    public async Task<TraceAnalysis> AnalyseAsync()
    {
        await StopAsync();
        return TraceAnalysis.Read(Path);
    }

    private async Task StopAsync()
    {
        if (_copy.IsCompleted)
            return;
        await _session.StopAsync(CancellationToken.None);
        await _copy;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (Exception e) when (e is ServerNotAvailableException or IOException)
        {
            // the traced process has gone: nothing left to stop
        }
        _session.Dispose();
        if (Environment.GetEnvironmentVariable("RC_BENCH_KEEP_TRACE") is { Length: > 0 } keep && File.Exists(Path))
            File.Move(Path, System.IO.Path.Combine(keep, System.IO.Path.GetFileName(Path)), overwrite: true);
        else
            File.Delete(Path);
    }
}
