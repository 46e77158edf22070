using RegistryCleaner.Contracts;
using RegistryCleaner.Publisher.Messaging;

namespace RegistryCleaner.Publisher.History;

/// <summary>Reads the journal through the bus, page by page, so that operators need no database credentials.</summary>
public static class JournalReader
{
    private const int PageSize = 1000;

    public static async IAsyncEnumerable<JournalRecord> ReadAsync(PublisherBus bus, QueryJournal query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        long after = 0;
        while (true)
        {
            var page = await bus.RequestAsync<QueryJournal, JournalPage>(QueueNames.Journal, query with { After = after, Limit = PageSize }, TimeSpan.FromSeconds(60), ct);
            if (page.Error is not null)
                throw new PublisherException($"The worker refused the query: {page.Error}", ExitCodes.TimeoutOrUsage);
            foreach (var entry in page.Entries)
                yield return entry;
            if (page.Next is not { } next)
                yield break;
            after = next;
        }
    }
}
