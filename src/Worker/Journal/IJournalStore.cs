using RegistryCleaner.Contracts;

namespace RegistryCleaner.Worker.Journal;

/// <summary>
/// The deletion journal: every removal, restore and reclaim, recorded as an intent before the registry call and completed
/// after it; and, per digest, whether it was reclaimed, kept, or is being reclaimed by a worker right now.
/// </summary>
public interface IJournalStore
{
    /// <summary>Creates the schema where it is missing; safe when several workers start at once.</summary>
    Task InitializeAsync(CancellationToken ct);

    /// <summary>
    /// Records an intent (<see cref="JournalOutcome.Pending"/>). When an intent of the same request, action, tag and digest was
    /// left pending (its worker died during the call), that one is returned instead, for the redelivered command to complete;
    /// an intent without a digest also finds one whose digest was noted since (<see cref="NoteDigestAsync"/>).
    /// </summary>
    Task<JournalRecord> BeginAsync(JournalRecord intent, CancellationToken ct);

    /// <summary>
    /// Writes on a pending entry (by <see cref="JournalRecord.Id"/>) what the tag pointed at, read before the registry is
    /// changed: a worker that dies after the delete leaves the digest for the redelivered command.
    /// </summary>
    Task NoteDigestAsync(JournalRecord pending, string digest, string? mediaType, CancellationToken ct);

    /// <summary>
    /// Writes the outcome of an entry (by <see cref="JournalRecord.Id"/>): outcome, digest, media type, detail, bytes, completion
    /// time. An entry already completed <see cref="JournalOutcome.Deleted"/> keeps that outcome (another delivery of the same
    /// request deleted; this one found the tag gone or failed).
    /// </summary>
    Task CompleteAsync(JournalRecord completed, CancellationToken ct);

    /// <summary>Entries after <c>after</c> in journal order that match the query's exact filters and time range (not its tag pattern).</summary>
    Task<IReadOnlyList<JournalRecord>> ReadAsync(QueryJournal query, long after, int limit, CancellationToken ct);

    /// <summary>Tag deletions with a digest, completed at or before <paramref name="before"/>, whose digest is neither reclaimed
    /// nor marked kept since that deletion, and has no tag deletion completed after <paramref name="before"/> or still pending.</summary>
    /// <summary>
    /// Whether a tag deletion of this digest completed after <paramref name="before"/>, or began after it and is still
    /// pending: asked again by a reclaim right before it deletes the digest.
    /// </summary>
    Task<bool> DeletedSinceAsync(string registry, string repository, string digest, DateTimeOffset before, CancellationToken ct);

    Task<IReadOnlyList<JournalRecord>> ReclaimableAsync(string? registry, DateTimeOffset before, CancellationToken ct);

    Task<DigestMark?> MarkOfAsync(string registry, string repository, string digest, CancellationToken ct);

    /// <summary>Takes the digest for one reclaim: false when it is reclaimed already, or another worker holds an unexpired claim.</summary>
    Task<bool> TryClaimAsync(string registry, string repository, string digest, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken ct);

    /// <summary>Marks the digest reclaimed or kept, and releases the owner's claim.</summary>
    Task MarkAsync(string registry, string repository, string digest, DigestState state, DateTimeOffset at, string owner, CancellationToken ct);

    Task ReleaseAsync(string registry, string repository, string digest, string owner, CancellationToken ct);
}

public enum DigestState
{
    Reclaimed,
    Kept,
}

/// <summary>What the journal knows of a digest: when it was reclaimed, when it was last found tagged again.</summary>
public sealed record DigestMark(DateTimeOffset? ReclaimedAt, DateTimeOffset? KeptAt);
