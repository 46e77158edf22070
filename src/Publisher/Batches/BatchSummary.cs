namespace RegistryCleaner.Publisher.Batches;

/// <summary>The numbers a batch ends with; <see cref="Deleted"/> and the rest are null when results were not awaited.</summary>
public sealed record BatchSummary
{
    public string File { get; init; } = "";
    public BatchFormat Format { get; init; }
    public int Requests { get; init; }
    public long Sent { get; init; }
    public long? Deleted { get; init; }
    public long? AlreadyAbsent { get; init; }
    public long? Failed { get; init; }
    public long? Pending { get; init; }
    public int Invalid { get; init; }
    public int Duplicates { get; init; }
    public bool DryRun { get; init; }
    public bool TimedOut { get; init; }
    public int ExitCode { get; init; }

    /// <summary>The rows of the table people read, in a fixed order; empty counts of rare rows are left out.</summary>
    public IEnumerable<(string Label, long Count)> Rows()
    {
        yield return ("requests", Requests);
        if (!DryRun)
            yield return ("sent", Sent);
        if (Deleted is { } deleted)
        {
            yield return ("deleted", deleted);
            yield return ("already absent", AlreadyAbsent ?? 0);
            yield return ("failed", Failed ?? 0);
            if (Pending is > 0)
                yield return ("no result yet", Pending.Value);
        }
        if (Invalid > 0)
            yield return ("invalid lines", Invalid);
        if (Duplicates > 0)
            yield return ("repeated lines", Duplicates);
    }
}
