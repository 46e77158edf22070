using System.Security.Cryptography;
using MassTransit;

namespace RegistryCleaner.Worker.Hostile;

/// <summary>
/// How often this process started handling a message that was never settled, by message. An entry lives from the start of a
/// handling to its settlement; only messages whose handling died stay, and at most <see cref="PoisonOptions.TrackedMessages"/>
/// of them (the oldest go first). It lives as long as the process, so it outlasts any number of lost connections.
/// </summary>
public sealed class PoisonTracker(int capacity)
{
    private readonly Dictionary<string, LinkedListNode<(string Key, int Handlings)>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, int Handlings)> _age = new();
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
                return _entries.Count;
        }
    }

    public int UnsettledHandlings(string key)
    {
        lock (_lock)
            return _entries.TryGetValue(key, out var node) ? node.Value.Handlings : 0;
    }

    public void Started(string key)
    {
        lock (_lock)
        {
            if (_entries.Remove(key, out var node))
                _age.Remove(node);
            var handlings = (node?.Value.Handlings ?? 0) + 1;
            _entries[key] = _age.AddLast((key, handlings));
            while (_entries.Count > capacity && _age.First is { } oldest)
            {
                _age.RemoveFirst();
                _entries.Remove(oldest.Value.Key);
            }
        }
    }

    public void Settled(string key)
    {
        lock (_lock)
        {
            if (_entries.Remove(key, out var node))
                _age.Remove(node);
        }
    }

    /// <summary>
    /// The message's transport id with its queue and size (a producer may reuse ids), or a digest of the body for a message
    /// that has no id.
    /// </summary>
    public static string KeyOf(ReceiveContext context)
    {
        var body = context.Body;
        var id = context.TransportHeaders.Get<string>("MessageId");
        if (!string.IsNullOrEmpty(id))
            return $"{context.InputAddress.AbsolutePath}|{id}|{body.Length}";
        return $"{context.InputAddress.AbsolutePath}|sha256:{Convert.ToHexString(SHA256.HashData(body.GetBytes()))}";
    }
}
