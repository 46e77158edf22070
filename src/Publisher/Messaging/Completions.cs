using System.Threading.Channels;
using RegistryCleaner.Contracts;

namespace RegistryCleaner.Publisher.Messaging;

/// <summary>
/// Waits for one result event per expected RequestId and counts them by outcome. Events are at-least-once and a
/// request may be sent again, so only the first result of each request counts; events of other requests are ignored.
/// </summary>
public sealed class Completions<T>(IEnumerable<KeyValuePair<Guid, T>> expected)
{
    private readonly Dictionary<Guid, T> _pending = new(expected);
    private long _deleted;
    private long _absent;
    private long _failed;

    public long Deleted => Interlocked.Read(ref _deleted);
    public long AlreadyAbsent => Interlocked.Read(ref _absent);
    public long Failed => Interlocked.Read(ref _failed);
    public long Completed => Deleted + AlreadyAbsent + Failed;

    /// <summary>What has no result yet; read it once <see cref="WaitAsync"/> has returned.</summary>
    public IReadOnlyCollection<T> Pending => _pending.Values;

    /// <summary>True when every request has its result; false when <paramref name="ct"/> ended the wait first.</summary>
    public async Task<bool> WaitAsync(ChannelReader<ResultEvent> results, Action<T, ResultEvent> onFirstResult, CancellationToken ct)
    {
        if (_pending.Count == 0)
            return true;
        try
        {
            await foreach (var result in results.ReadAllAsync(ct))
            {
                if (!_pending.Remove(result.RequestId, out var item))
                    continue;
                if (!result.IsSuccess)
                    Interlocked.Increment(ref _failed);
                else if (result.Succeeded!.Outcome == DeletionOutcome.AlreadyAbsent)
                    Interlocked.Increment(ref _absent);
                else
                    Interlocked.Increment(ref _deleted);
                onFirstResult(item, result);
                if (_pending.Count == 0)
                    return true;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        return false;
    }
}
