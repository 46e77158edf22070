namespace RegistryCleaner.Contracts;

/// <summary>A request for journal entries, answered with a <see cref="JournalPage"/>. Every filter that is set must match.</summary>
public record QueryJournal
{
    public Guid RequestId { get; init; }
    public string? Registry { get; init; }
    public string? Repository { get; init; }

    /// <summary>A tag pattern: <c>*</c> matches any run of characters, <c>?</c> one character; anything else is literal.</summary>
    public string? Tag { get; init; }

    public string? Publisher { get; init; }
    public string? Policy { get; init; }
    public Guid? RunId { get; init; }

    /// <summary>Entries of the request with this RequestId.</summary>
    public Guid? Request { get; init; }

    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Until { get; init; }

    /// <summary>Only entries after this sequence number: the <see cref="JournalPage.Next"/> of the page before.</summary>
    public long After { get; init; }

    public int Limit { get; init; } = 500;
}
