using RegistryCleaner.Contracts;

namespace RegistryCleaner.Worker.Journal;

/// <summary>The journal in this process's memory (<c>Journal:Store=Memory</c>, and under <c>--sandbox</c>): gone when the worker stops.</summary>
public sealed class MemoryJournalStore : IJournalStore
{
    private readonly Lock _gate = new();
    private readonly List<JournalRecord> _entries = [];
    private readonly Dictionary<(string, string, string), DigestRow> _digests = [];
    private long _sequence;

    public Task InitializeAsync(CancellationToken ct) => Task.CompletedTask;

    public Task<JournalRecord> BeginAsync(JournalRecord intent, CancellationToken ct)
    {
        lock (_gate)
        {
            var dangling = _entries.FirstOrDefault(e => e.Outcome == JournalOutcome.Pending && e.RequestId == intent.RequestId && e.Action == intent.Action
                && e.Tag == intent.Tag && (e.Digest == intent.Digest || intent.Digest is null) && e.Registry == intent.Registry && e.Repository == intent.Repository);
            if (dangling is not null)
                return Task.FromResult(dangling);
            var entry = intent with { Sequence = ++_sequence, Outcome = JournalOutcome.Pending };
            _entries.Add(entry);
            return Task.FromResult(entry);
        }
    }

    public Task NoteDigestAsync(JournalRecord pending, string digest, string? mediaType, CancellationToken ct)
    {
        lock (_gate)
        {
            var index = _entries.FindIndex(e => e.Id == pending.Id && e.Outcome == JournalOutcome.Pending);
            if (index < 0)
                throw new InvalidOperationException($"Journal entry {pending.Id} is not pending.");
            _entries[index] = _entries[index] with { Digest = digest, MediaType = mediaType };
            return Task.CompletedTask;
        }
    }

    public Task CompleteAsync(JournalRecord completed, CancellationToken ct)
    {
        lock (_gate)
        {
            var index = _entries.FindIndex(e => e.Id == completed.Id);
            if (index < 0)
                throw new InvalidOperationException($"Journal entry {completed.Id} does not exist.");
            var entry = _entries[index];
            if (entry.Outcome == JournalOutcome.Deleted)
                return Task.CompletedTask; // another delivery of the request deleted: as in SqlJournalStore, that stands
            _entries[index] = entry with
            {
                Outcome = completed.Outcome,
                Digest = completed.Digest ?? entry.Digest,
                MediaType = completed.MediaType ?? entry.MediaType,
                Detail = completed.Detail,
                BytesFreed = completed.BytesFreed,
                CompletedAt = completed.CompletedAt,
            };
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<JournalRecord>> ReadAsync(QueryJournal query, long after, int limit, CancellationToken ct)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlyList<JournalRecord>>(_entries.Where(e => e.Sequence > after && Matches(query, e)).Take(limit).ToList());
    }

    public Task<bool> DeletedSinceAsync(string registry, string repository, string digest, DateTimeOffset before, CancellationToken ct)
    {
        lock (_gate)
            return Task.FromResult(_entries.Any(e => e.Action == JournalAction.DeleteTag && e.Outcome is JournalOutcome.Deleted or JournalOutcome.Pending
                && e.Registry == registry && e.Repository == repository && e.Digest == digest
                && (e.CompletedAt > before || e.CompletedAt is null && e.RecordedAt > before)));
    }

    public Task<IReadOnlyList<JournalRecord>> ReclaimableAsync(string? registry, DateTimeOffset before, CancellationToken ct)
    {
        lock (_gate)
        {
            // Per digest, as in SqlJournalStore: a deletion after the cut-off, or one still pending that began after it, keeps the digest restorable.
            var young = _entries.Where(e => e.Action == JournalAction.DeleteTag && e.Outcome is JournalOutcome.Deleted or JournalOutcome.Pending
                    && e.Digest is not null && (e.CompletedAt > before || e.CompletedAt is null && e.RecordedAt > before))
                .Select(e => (e.Registry, e.Repository, e.Digest!))
                .ToHashSet();
            return Task.FromResult<IReadOnlyList<JournalRecord>>(_entries.Where(e => e.Action == JournalAction.DeleteTag && e.Outcome == JournalOutcome.Deleted
                    && e.Digest is not null && e.CompletedAt <= before && (registry is null || e.Registry == registry)
                    && !young.Contains((e.Registry, e.Repository, e.Digest))
                    && (!_digests.TryGetValue((e.Registry, e.Repository, e.Digest), out var row) || row.ReclaimedAt is null && !(row.KeptAt >= e.CompletedAt)))
                .ToList());
        }
    }

    public Task<DigestMark?> MarkOfAsync(string registry, string repository, string digest, CancellationToken ct)
    {
        lock (_gate)
            return Task.FromResult(_digests.TryGetValue((registry, repository, digest), out var row) ? new DigestMark(row.ReclaimedAt, row.KeptAt) : null);
    }

    public Task<bool> TryClaimAsync(string registry, string repository, string digest, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken ct)
    {
        lock (_gate)
        {
            var key = (registry, repository, digest);
            var row = _digests.GetValueOrDefault(key) ?? new DigestRow();
            if (row.ReclaimedAt is not null || (row.Owner is not null && row.Until > now))
                return Task.FromResult(false);
            _digests[key] = row with { Owner = owner, Until = now + lease };
            return Task.FromResult(true);
        }
    }

    public Task MarkAsync(string registry, string repository, string digest, DigestState state, DateTimeOffset at, string owner, CancellationToken ct)
    {
        lock (_gate)
        {
            var key = (registry, repository, digest);
            var row = _digests.GetValueOrDefault(key) ?? new DigestRow();
            row = state == DigestState.Reclaimed ? row with { ReclaimedAt = at } : row with { KeptAt = at };
            _digests[key] = row.Owner == owner ? row with { Owner = null, Until = null } : row;
        }
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(string registry, string repository, string digest, string owner, CancellationToken ct)
    {
        lock (_gate)
        {
            var key = (registry, repository, digest);
            if (_digests.TryGetValue(key, out var row) && row.Owner == owner)
                _digests[key] = row with { Owner = null, Until = null };
        }
        return Task.CompletedTask;
    }

    private static bool Matches(QueryJournal q, JournalRecord e) =>
        (q.Registry is null || string.Equals(e.Registry, q.Registry, StringComparison.OrdinalIgnoreCase))
        && (q.Repository is null || e.Repository == q.Repository)
        && (q.Publisher is null || e.VerifiedPublisher == q.Publisher)
        && (q.Policy is null || e.Policy == q.Policy)
        && (q.RunId is null || e.RunId == q.RunId)
        && (q.Request is null || e.RequestId == q.Request)
        && (q.Since is null || e.RecordedAt >= q.Since)
        && (q.Until is null || e.RecordedAt <= q.Until);

    private sealed record DigestRow
    {
        public string? Owner { get; init; }
        public DateTimeOffset? Until { get; init; }
        public DateTimeOffset? ReclaimedAt { get; init; }
        public DateTimeOffset? KeptAt { get; init; }
    }
}
