using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace RegistryCleaner.Bench.Profiling;

/// <summary>
/// What a trace says about where the process spent its CPU: stack samples taken while a thread ran managed code,
/// counted by the method on top (exclusive) and by every method on the stack (inclusive), plus collections by
/// generation and the types behind the allocation ticks (one tick per ~100 KB allocated). Each sample is also put to the
/// innermost <c>RegistryCleaner</c> frame on its stack (<see cref="Callers"/>), and split by what ran above that frame:
/// its own work (runtime or library code it called for itself included), or a library's pipeline it had handed the work on
/// to (<see cref="CalledOut"/>, see <see cref="HandsOn"/>).
/// </summary>
public sealed record TraceAnalysis(
    int Samples,
    IReadOnlyList<(string Method, int Samples)> Exclusive,
    IReadOnlyList<(string Method, int Samples)> Inclusive,
    IReadOnlyList<(string Frame, int Samples)> Callers,
    IReadOnlyDictionary<string, int> CalledOut,
    IReadOnlyList<(string Frame, int Samples)> HotPaths,
    int[] Collections,
    long AllocatedBytes,
    IReadOnlyList<(string Type, long Bytes)> Allocations)
{
    private const int ExternalSample = 1;

    public static TraceAnalysis Read(string nettracePath, int top = 25)
    {
        var etlx = TraceLog.CreateFromEventPipeDataFile(nettracePath);
        try
        {
            using var log = new TraceLog(etlx);
            var exclusive = new Dictionary<string, int>(StringComparer.Ordinal);
            var inclusive = new Dictionary<string, int>(StringComparer.Ordinal);
            var callers = new Dictionary<string, int>(StringComparer.Ordinal);
            var calledOut = new Dictionary<string, int>(StringComparer.Ordinal);
            var hotPaths = new Dictionary<string, int>(StringComparer.Ordinal);
            var collections = new int[3];
            var allocations = new Dictionary<string, long>(StringComparer.Ordinal);
            long allocated = 0;
            var samples = 0;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var e in log.Events)
            {
                switch (e)
                {
                    case GCStartTraceData gc:
                        collections[Math.Clamp(gc.Depth, 0, 2)]++;
                        continue;
                    case GCAllocationTickTraceData tick:
                        allocated += tick.AllocationAmount64;
                        Add(allocations, tick.TypeName ?? "?", tick.AllocationAmount64);
                        continue;
                }
                if (e.ProviderName != "Microsoft-DotNETCore-SampleProfiler" || IsExternal(e) || e.CallStack() is not { } stack
                    || Name(stack.CodeAddress).Contains("PollGC", StringComparison.Ordinal))
                    continue;
                samples++;
                seen.Clear();
                var depth = 0;
                string? ours = null, onTop = null, caller = null;
                string? beyondOurs = null;
                for (var frame = stack; frame is not null; frame = frame.Caller, depth++)
                {
                    var name = Name(frame.CodeAddress);
                    if (depth == 0)
                    {
                        onTop = name;
                        Add(exclusive, name, 1);
                    }
                    else if (caller is null && !IsPlumbing(name))
                    {
                        caller = name;
                    }
                    if (seen.Add(name))
                        Add(inclusive, name, 1);
                    if (ours is null && name.StartsWith("RegistryCleaner.", StringComparison.Ordinal))
                        ours = name;
                    else if (ours is null && HandsOn(name))
                        beyondOurs = name;
                    else if (ours is null && !IsPlumbing(name))
                        beyondOurs = null;
                }
                if (ours is not null && beyondOurs is not null)
                    Add(calledOut, ours, 1);
                Add(callers, ours ?? NoFrameOfOurs, 1);
                Add(hotPaths, IsPlumbing(onTop!) ? $"{onTop} ← {caller ?? "(thread start)"}" : onTop!, 1);
            }
            return new TraceAnalysis(samples, Top(exclusive, top), Top(inclusive, top), Top(callers, top), calledOut, Top(hotPaths, top), collections, allocated, Top(allocations, top));
        }
        finally
        {
            File.Delete(etlx);
        }
    }

    public const string NoFrameOfOurs = "(no RegistryCleaner frame: MassTransit, RabbitMQ client, runtime)";

    /// <summary>
    /// Where a frame of ours hands the work on rather than doing it: a MassTransit filter, pipe or transport (a filter's
    /// <c>next.Send</c>, a publish), HttpClient's handlers and sockets (a handler's <c>base.SendAsync</c>), the RabbitMQ client,
    /// Polly's pipeline; or a completed task resuming whoever awaited it. Walking the stack down from its top, the frame that
    /// decides is the one right above ours, past threading plumbing: a payload look-up, a header, a database call, a lock of
    /// ours is the frame's own work.
    /// </summary>
    private static bool HandsOn(string name) =>
        name.StartsWith("System.Threading.Tasks.Task.RunContinuations", StringComparison.Ordinal)
        || name.StartsWith("System.Threading.Tasks.AwaitTaskContinuation", StringComparison.Ordinal)
        || name.StartsWith("System.Net.", StringComparison.Ordinal)
        || name.StartsWith("Microsoft.Extensions.Http.", StringComparison.Ordinal)
        || name.StartsWith("Polly.", StringComparison.Ordinal)
        || name.StartsWith("RabbitMQ.Client.", StringComparison.Ordinal)
        || (name.StartsWith("MassTransit.", StringComparison.Ordinal)
            && (name.EndsWith(".Send", StringComparison.Ordinal) || name.EndsWith(".Publish", StringComparison.Ordinal)
                || name.Contains("Send>d__", StringComparison.Ordinal) || name.Contains("Publish>d__", StringComparison.Ordinal)
                || name.Contains("Dispatch", StringComparison.Ordinal)));

    /// <summary>
    /// A sample of a thread outside managed code (waiting, mostly) says nothing about CPU spent by managed code; nor does
    /// one parked at a GC poll, which is mostly the sampler's own suspension of the runtime (collections are counted apart).
    /// </summary>
    private static bool IsExternal(TraceEvent e) =>
        e.PayloadNames.Contains("Type") && Convert.ToInt32(e.PayloadByName("Type")) == ExternalSample;

    /// <summary>
    /// Frames that say how a thread waits, locks or resumes rather than what it works on (an Activity's tag list takes a lock
    /// too): a hot path names the caller beyond them.
    /// </summary>
    private static bool IsPlumbing(string name) =>
        name.StartsWith("System.Threading.", StringComparison.Ordinal) || name.StartsWith("System.Runtime.CompilerServices.", StringComparison.Ordinal)
        || name.StartsWith("System.Diagnostics.Activity", StringComparison.Ordinal) || name.StartsWith('[');

    private static string Name(TraceCodeAddress address)
    {
        var method = address.FullMethodName;
        if (string.IsNullOrEmpty(method))
            return address.ModuleName is { Length: > 0 } module ? $"[{module}]" : "[native]";
        var paren = method.IndexOf('(');
        return paren > 0 ? method[..paren] : method;
    }

    private static void Add<T>(Dictionary<string, T> counts, string key, T value) where T : System.Numerics.INumber<T> =>
        counts[key] = counts.TryGetValue(key, out var current) ? current + value : value;

    private static List<(string, T)> Top<T>(Dictionary<string, T> counts, int top) where T : System.Numerics.INumber<T> =>
        [.. counts.OrderByDescending(p => p.Value).Take(top).Select(p => (p.Key, p.Value))];
}
