namespace RegistryCleaner.Contracts;

public record JournalPage
{
    public IReadOnlyList<JournalRecord> Entries { get; init; } = [];

    /// <summary>Where the next page starts; null when there is no more.</summary>
    public long? Next { get; init; }

    /// <summary>Set when the query was refused (a bad filter), with the reason.</summary>
    public string? Error { get; init; }
}
