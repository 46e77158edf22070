using System.Collections.Concurrent;

namespace RegistryCleaner.Sandbox;

/// <summary>One request as it arrived. <see cref="Query"/> is the raw query without the leading '?'; status 0 = connection dropped.</summary>
public sealed record RequestRecord(string Registry, string Method, string RawPath, string Query, int Status, DateTimeOffset At)
{
    /// <summary>The request carried a credential or a signature (Authorization, X-Auth-Token, an NCR access key).</summary>
    public bool CarriedCredentials { get; init; }
}

public sealed class RequestLog
{
    private readonly ConcurrentQueue<RequestRecord> _records = new();

    public int Count => _records.Count;

    public IReadOnlyList<RequestRecord> Snapshot() => _records.ToArray();

    public IReadOnlyList<RequestRecord> Snapshot(string registry) =>
        _records.Where(r => r.Registry == registry).ToArray();

    public void Clear() => _records.Clear();

    internal void Add(RequestRecord record) => _records.Enqueue(record);
}
