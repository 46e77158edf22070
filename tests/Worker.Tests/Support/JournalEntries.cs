using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Journal;

namespace RegistryCleaner.Worker.Tests.Support;

/// <summary>Journal entries as the worker leaves them, for specs that start from a past deletion.</summary>
public static class JournalEntries
{
    /// <summary>A completed deletion of <paramref name="repository"/>:<paramref name="tag"/> at <paramref name="digest"/>, a minute ago.</summary>
    public static async Task DeletedAsync(IJournalStore journal, string digest, string tag = "v1", string repository = "team/app")
    {
        var entry = await journal.BeginAsync(new JournalRecord
        {
            Id = Guid.NewGuid(), Action = JournalAction.DeleteTag, Registry = "oci", Repository = repository, Tag = tag, RequestId = Guid.NewGuid(),
            RecordedAt = DateTimeOffset.UtcNow.AddMinutes(-2),
        }, default);
        await journal.CompleteAsync(entry with { Outcome = JournalOutcome.Deleted, Digest = digest, CompletedAt = DateTimeOffset.UtcNow.AddMinutes(-1) }, default);
    }
}
