using System.Text.RegularExpressions;
using MassTransit;
using RegistryCleaner.Common.Validation;
using RegistryCleaner.Contracts;

namespace RegistryCleaner.Worker.Journal;

/// <summary>Answers <c>registry-cleaner history</c>: one page of journal entries that match every filter, in journal order.</summary>
public sealed class JournalQueryConsumer(IJournalStore store) : IConsumer<QueryJournal>
{
    public const int MaxLimit = 5000;
    private const int MaxPattern = 256;

    public async Task Consume(ConsumeContext<QueryJournal> context)
    {
        var query = context.Message;
        if (Refusal(query) is { } error)
        {
            await context.RespondAsync(new JournalPage { Error = error });
            return;
        }
        var pattern = query.Tag is null ? null : TagPattern.Compile(query.Tag);
        var found = new List<JournalRecord>();
        var after = query.After;
        var batch = pattern is null ? query.Limit : MaxLimit;
        while (found.Count < query.Limit)
        {
            var entries = await store.ReadAsync(query, after, batch, context.CancellationToken);
            foreach (var entry in entries)
            {
                after = entry.Sequence;
                if (pattern is null || (entry.Tag is not null && Matches(pattern, entry.Tag)))
                    found.Add(entry);
                if (found.Count == query.Limit)
                    break;
            }
            if (entries.Count < batch)
            {
                await context.RespondAsync(new JournalPage { Entries = found, Next = found.Count == query.Limit ? after : null });
                return;
            }
        }
        await context.RespondAsync(new JournalPage { Entries = found, Next = after });
    }

    private static bool Matches(Regex pattern, string tag)
    {
        try
        {
            return pattern.IsMatch(tag);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static string? Refusal(QueryJournal query)
    {
        if (query.Limit is < 1 or > MaxLimit)
            return $"Limit must be between 1 and {MaxLimit} (is {query.Limit}).";
        if (query.After < 0)
            return "After must not be negative.";
        if (query.Tag is { Length: > MaxPattern })
            return $"The tag pattern may hold at most {MaxPattern} characters.";
        if (query.Since is { } since && query.Until is { } until && since > until)
            return $"Since ({since:O}) is after Until ({until:O}).";
        foreach (var (name, value) in new[] { ("Registry", query.Registry), ("Repository", query.Repository), ("Publisher", query.Publisher), ("Policy", query.Policy), ("Tag", query.Tag) })
        {
            if (value is { Length: > 512 })
                return $"{name} may hold at most 512 characters.";
            if (value is not null && value.Any(char.IsControl))
                return $"{name} contains a control character.";
        }
        return null;
    }
}

public sealed class JournalQueryConsumerDefinition : ConsumerDefinition<JournalQueryConsumer>
{
    public JournalQueryConsumerDefinition() => EndpointName = QueueNames.Journal;
}
