using System.Collections.Concurrent;
using RegistryCleaner.Publisher.Messaging;

namespace RegistryCleaner.Integration.Tests.Support;

/// <summary>Result events by RequestId, as they arrive; the same request may end more than once when it is sent again.</summary>
public sealed class ResultBook
{
    private readonly ConcurrentDictionary<Guid, ConcurrentQueue<ResultEvent>> _results = new();

    public void Add(ResultEvent result) => _results.GetOrAdd(result.RequestId, _ => new()).Enqueue(result);

    /// <summary>The n-th (1-based) result event for a request.</summary>
    public Task<ResultEvent> WaitAsync(Guid requestId, TimeSpan timeout, int occurrence = 1) =>
        Eventually.FoundAsync(() => _results.TryGetValue(requestId, out var queue) && queue.Count >= occurrence ? queue.ElementAt(occurrence - 1) : null,
            timeout, () => $"no result event #{occurrence} for request {requestId}");

    public int Count(Guid requestId) => _results.TryGetValue(requestId, out var queue) ? queue.Count : 0;
}
