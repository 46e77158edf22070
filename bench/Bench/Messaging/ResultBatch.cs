using System.Diagnostics;
using RegistryCleaner.Bench.Measure;
using RegistryCleaner.Bench.Processes;
using RegistryCleaner.Contracts;

namespace RegistryCleaner.Bench.Messaging;

/// <summary>
/// A batch of commands and the one result event each must produce: when each was sent, when its first result
/// arrived (results are at-least-once; repeats are ignored), and how each ended.
/// </summary>
public sealed class ResultBatch
{
    private readonly Dictionary<Guid, int> _index;
    private readonly long[] _sentAt;
    private readonly long[] _resultAt;
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _received;
    private int _deleted;
    private int _alreadyAbsent;
    private int _failed;
    private string? _firstFailure;

    public ResultBatch(IReadOnlyList<DeleteTag> commands)
    {
        Commands = commands;
        _index = new Dictionary<Guid, int>(commands.Count);
        for (var i = 0; i < commands.Count; i++)
            _index.Add(commands[i].RequestId, i);
        _sentAt = new long[commands.Count];
        _resultAt = new long[commands.Count];
    }

    public IReadOnlyList<DeleteTag> Commands { get; }
    public int Received => Volatile.Read(ref _received);
    public Task Completed => _completed.Task;

    public void MarkSent(int index) => _sentAt[index] = Stopwatch.GetTimestamp();

    public void Record(Guid requestId, DeletionOutcome? outcome, string? failure)
    {
        var now = Stopwatch.GetTimestamp();
        if (!_index.TryGetValue(requestId, out var i) || Interlocked.CompareExchange(ref _resultAt[i], now, 0) != 0)
            return;
        switch (outcome)
        {
            case DeletionOutcome.Deleted:
                Interlocked.Increment(ref _deleted);
                break;
            case DeletionOutcome.AlreadyAbsent:
                Interlocked.Increment(ref _alreadyAbsent);
                break;
            default:
                Interlocked.Increment(ref _failed);
                Interlocked.CompareExchange(ref _firstFailure, failure, null);
                break;
        }
        if (Interlocked.Increment(ref _received) == Commands.Count)
            _completed.TrySetResult();
    }

    /// <summary>
    /// Waits for every result. Gives up as soon as the consuming process has exited, or when no new result arrives
    /// for <paramref name="stall"/>.
    /// </summary>
    public async Task WaitAsync(TimeSpan stall, ChildProcess consumer)
    {
        var seen = -1;
        var progressAt = Stopwatch.GetTimestamp();
        while (!Completed.IsCompleted)
        {
            await Task.WhenAny(Completed, Task.Delay(TimeSpan.FromSeconds(1)));
            if (Completed.IsCompleted)
                break;
            if (consumer.Exited() is { } reason)
                throw new BenchFailure($"{Received:N0} of {Commands.Count:N0} results arrived. {reason}");
            if (Received != seen)
            {
                seen = Received;
                progressAt = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(progressAt) > stall)
            {
                throw new BenchFailure($"{Received:N0} of {Commands.Count:N0} results arrived, then none for {stall.TotalSeconds:F0} s. {consumer.Explain()}");
            }
        }
    }

    public BatchFigures Figures()
    {
        var first = _sentAt.Where(t => t != 0).DefaultIfEmpty().Min();
        var last = _resultAt.Max();
        var latencies = new double[Commands.Count];
        for (var i = 0; i < latencies.Length; i++)
            latencies[i] = Stopwatch.GetElapsedTime(_sentAt[i], _resultAt[i]).TotalMilliseconds;
        Array.Sort(latencies);
        return new BatchFigures(Commands.Count, Stopwatch.GetElapsedTime(first, last),
            Latencies.Percentile(latencies, 50), Latencies.Percentile(latencies, 99), _deleted, _alreadyAbsent, _failed, _firstFailure);
    }
}

/// <summary>One batch measured: from the first command sent to the last result received.</summary>
public sealed record BatchFigures(int Count, TimeSpan Elapsed, double P50Ms, double P99Ms, int Deleted, int AlreadyAbsent, int Failed, string? FirstFailure)
{
    public double PerSecond => Count / Elapsed.TotalSeconds;
}
