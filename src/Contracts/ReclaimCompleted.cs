namespace RegistryCleaner.Contracts;

public record ReclaimCompleted
{
    public Guid RunId { get; init; }
    public string? Registry { get; init; }
    public bool DryRun { get; init; }

    /// <summary>False when the run was refused or failed; <see cref="Detail"/> says why.</summary>
    public bool Succeeded { get; init; }

    public string? Detail { get; init; }
    public int Reclaimed { get; init; }

    /// <summary>Digests a tag points to again: kept, and marked kept in the journal.</summary>
    public int Kept { get; init; }

    /// <summary>Digests another worker was reclaiming at the same moment, or that failed (see the worker's log).</summary>
    public int Skipped { get; init; }

    public int Failed { get; init; }
    public long BytesFreed { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset CompletedAt { get; init; }
}
