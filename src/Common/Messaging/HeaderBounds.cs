using System.Collections;
using System.Text;
using MassTransit;

namespace RegistryCleaner.Common.Messaging;

/// <summary>
/// What the worker lets through in the headers of anything it sends, publishes or moves: the headers it owns (<c>RC-*</c>),
/// MassTransit's own (<c>MT-*</c>) and W3C trace context; every value at most <see cref="MaxValueBytes"/>, the whole table at
/// most <see cref="MaxTableBytes"/>. RabbitMQ refuses a header frame above its frame limit (128 KiB by default) by closing the
/// whole connection, and MassTransit copies every header of the message being consumed onto what the consumer sends, so one
/// oversized header would otherwise take every message in flight down with it, again and again.
/// </summary>
public static class HeaderBounds
{
    public const int MaxValueBytes = 4 * 1024;
    public const int MaxTableBytes = 32 * 1024;

    /// <summary>Names the headers that were cut or left out for room, so a reader knows the copy is not whole.</summary>
    public const string CutHeader = "RC-Headers-Cut";

    private const int MaxCutListChars = 1024;
    private const int EntryOverhead = 8;
    private static readonly string[] TraceContext = ["traceparent", "tracestate"];

    /// <summary>Headers kept in the first place when the table runs out of room: the failure and the worker's own bookkeeping.</summary>
    private static bool First(string name) =>
        name.StartsWith("MT-Fault-", StringComparison.OrdinalIgnoreCase) || name.StartsWith("RC-", StringComparison.OrdinalIgnoreCase)
        || name.Equals("MT-Reason", StringComparison.OrdinalIgnoreCase) || name.Equals("MT-Activity-Id", StringComparison.OrdinalIgnoreCase)
        || Array.Exists(TraceContext, t => t.Equals(name, StringComparison.OrdinalIgnoreCase));

    public static bool Allowed(string name) =>
        name.StartsWith("RC-", StringComparison.OrdinalIgnoreCase) || name.StartsWith("MT-", StringComparison.OrdinalIgnoreCase)
        || Array.Exists(TraceContext, t => t.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Bounds an AMQP header table in place (a move to <c>_error</c>, a re-drive).</summary>
    public static void Apply(IDictionary<string, object?> headers)
    {
        var plan = Plan(headers.Select(h => (h.Key, h.Value)).ToList());
        foreach (var (name, value) in plan.Changes)
        {
            if (value is null)
                headers.Remove(name);
            else
                headers[name] = value is string text ? Encoding.UTF8.GetBytes(text) : value;
        }
    }

    /// <summary>Bounds the headers of a message MassTransit is about to send or publish.</summary>
    public static void Apply(SendHeaders headers)
    {
        var plan = Plan(headers.GetAll().Select(h => (h.Key, (object?)h.Value)).ToList());
        foreach (var (name, value) in plan.Changes)
            headers.Set(name, value);
    }

    private sealed record Outcome(List<(string Name, object? Value)> Changes);

    private static Outcome Plan(List<(string Name, object? Value)> headers)
    {
        var changes = new List<(string, object?)>();
        var cuts = new List<string>();
        var room = MaxTableBytes - MaxCutListChars - EntryOverhead - CutHeader.Length;
        var ordered = headers.Where(h => !h.Name.Equals(CutHeader, StringComparison.OrdinalIgnoreCase))
            .OrderBy(h => First(h.Name) ? 0 : 1).ToList();
        foreach (var (name, value) in ordered)
        {
            if (!Allowed(name) || name.Length > 128)
            {
                changes.Add((name, null));
                continue;
            }
            var size = SizeOf(value);
            var kept = value;
            if (size > MaxValueBytes)
            {
                kept = Cut(value, size);
                size = SizeOf(kept);
                cuts.Add($"{name} (cut from {SizeOf(value, exact: true)} bytes)");
            }
            if (size + name.Length + EntryOverhead > room)
            {
                changes.Add((name, null));
                cuts.Add($"{name} (left out for room)");
                continue;
            }
            room -= size + name.Length + EntryOverhead;
            if (!ReferenceEquals(kept, value))
                changes.Add((name, kept));
        }
        var previous = headers.FirstOrDefault(h => h.Name.Equals(CutHeader, StringComparison.OrdinalIgnoreCase));
        if (previous.Name is not null)
            changes.Add((previous.Name, null));
        if (cuts.Count > 0)
            changes.Add((CutHeader, CutList(cuts)));
        return new Outcome(changes);
    }

    private static string CutList(List<string> cuts)
    {
        var text = new StringBuilder();
        for (var i = 0; i < cuts.Count; i++)
        {
            var next = (i == 0 ? "" : "; ") + cuts[i];
            if (text.Length + next.Length > MaxCutListChars - 32)
            {
                text.Append($"; and {cuts.Count - i} more");
                break;
            }
            text.Append(next);
        }
        return text.ToString();
    }

    /// <summary>A string or UTF-8 byte value cut to fit, marked as cut; anything else too large becomes a short note.</summary>
    private static object Cut(object? value, int size)
    {
        var mark = $"…[cut from {size} bytes]";
        var keep = MaxValueBytes - Encoding.UTF8.GetByteCount(mark);
        return value switch
        {
            string text => Prefix(text, keep) + mark,
            byte[] bytes => Prefix(Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, keep)), keep) + mark,
            _ => $"[{value?.GetType().Name} cut from {size} bytes]",
        };
    }

    /// <summary>The longest prefix of whole characters whose UTF-8 form fits in <paramref name="bytes"/>.</summary>
    private static string Prefix(string text, int bytes)
    {
        var length = Math.Min(text.Length, bytes);
        while (length > 0 && Encoding.UTF8.GetByteCount(text.AsSpan(0, length)) > bytes)
            length -= Math.Max(1, length / 16);
        if (length > 0 && char.IsHighSurrogate(text[length - 1]))
            length--;
        return text[..length].TrimEnd('\uFFFD');
    }

    /// <summary>The value's size on the wire, near enough; stops counting past the cap unless asked for the exact figure.</summary>
    private static int SizeOf(object? value, bool exact = false) => value switch
    {
        null => 0,
        string text => !exact && text.Length > MaxValueBytes ? text.Length : Encoding.UTF8.GetByteCount(text),
        byte[] bytes => bytes.Length,
        IDictionary table => Sum(table.Values.Cast<object?>(), exact) + table.Keys.Cast<object>().Sum(k => k.ToString()!.Length + EntryOverhead),
        IEnumerable<KeyValuePair<string, string>> pairs => pairs.Sum(p => p.Key.Length + p.Value.Length + EntryOverhead),
        IEnumerable list and not string => Sum(list.Cast<object?>(), exact),
        _ => value.ToString()?.Length ?? 0,
    };

    private static int Sum(IEnumerable<object?> values, bool exact)
    {
        long total = 0;
        foreach (var value in values)
        {
            total += SizeOf(value, exact) + EntryOverhead;
            if (!exact && total > MaxTableBytes)
                break;
        }
        return (int)Math.Min(total, int.MaxValue);
    }
}
