using Npgsql;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Journal;

namespace RegistryCleaner.Integration.Tests;

/// <summary>
/// The journal's rules that live in its SQL, on real PostgreSQL: the digest noted before a delete, the grace window per
/// digest (pending deletions included, while they are young), and a Deleted outcome that another delivery cannot undo.
/// </summary>
public sealed class PostgresJournalStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private ScaleOutDatabase _database = null!;
    private PostgresJournalStore _store = null!;

    public async Task InitializeAsync()
    {
        _database = await ScaleOutDatabase.CreateAsync();
        _store = new PostgresJournalStore(NpgsqlDataSource.Create(_database.ConnectionString), createSchema: true);
        await _store.InitializeAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        _store.Dispose();
        await _database.DisposeAsync();
    }

    private static JournalRecord Intent(Guid request, string tag, DateTimeOffset at) => new()
    {
        Id = Guid.NewGuid(), Action = JournalAction.DeleteTag, Registry = "oci", Repository = "team/app", Tag = tag, RequestId = request, RecordedAt = at,
    };

    private async Task<JournalRecord> DeletedAsync(string tag, string digest, DateTimeOffset at)
    {
        var entry = await _store.BeginAsync(Intent(Guid.NewGuid(), tag, at), default);
        await _store.CompleteAsync(entry with { Outcome = JournalOutcome.Deleted, Digest = digest, CompletedAt = at }, default);
        return entry;
    }

    [Fact]
    public async Task A_noted_digest_is_found_by_the_redelivered_command_and_a_deleted_outcome_stands()
    {
        var request = Guid.NewGuid();
        var first = await _store.BeginAsync(Intent(request, "v1", T0), default);
        await _store.NoteDigestAsync(first, "sha256:aa", "application/vnd.oci.image.manifest.v1+json", default);

        var again = await _store.BeginAsync(Intent(request, "v1", T0.AddMinutes(1)), default);
        Assert.Equal((first.Id, "sha256:aa"), (again.Id, again.Digest));

        await _store.CompleteAsync(again with { Outcome = JournalOutcome.Deleted, Digest = null, CompletedAt = T0.AddMinutes(1) }, default);
        await _store.CompleteAsync(first with { Outcome = JournalOutcome.AlreadyAbsent, CompletedAt = T0.AddMinutes(2) }, default);
        var read = Assert.Single(await _store.ReadAsync(new QueryJournal { Request = request }, 0, 10, default));
        Assert.Equal((JournalOutcome.Deleted, "sha256:aa", T0.AddMinutes(1)), (read.Outcome, read.Digest, read.CompletedAt));
        await Assert.ThrowsAsync<InvalidOperationException>(() => _store.NoteDigestAsync(read, "sha256:bb", null, default));
    }

    [Fact]
    public async Task A_digest_is_reclaimable_once_its_newest_deletion_and_its_young_pending_ones_are_past_the_window()
    {
        await DeletedAsync("v1", "sha256:0a", T0);
        await DeletedAsync("v1-alias", "sha256:0a", T0.AddHours(30));
        await DeletedAsync("v2", "sha256:0b", T0);
        await DeletedAsync("v3", "sha256:0c", T0);
        var pending = await _store.BeginAsync(Intent(Guid.NewGuid(), "v3-alias", T0.AddHours(20)), default);
        await _store.NoteDigestAsync(pending, "sha256:0c", null, default);

        Assert.Equal(["v2"], (await _store.ReclaimableAsync(null, T0.AddHours(19), default)).Select(e => e.Tag));
        Assert.True(await _store.DeletedSinceAsync("oci", "team/app", "sha256:0c", T0.AddHours(19), default));
        Assert.False(await _store.DeletedSinceAsync("oci", "team/app", "sha256:0c", T0.AddHours(20), default));
        Assert.True(await _store.DeletedSinceAsync("oci", "team/app", "sha256:0a", T0.AddHours(29), default));
        Assert.False(await _store.DeletedSinceAsync("oci", "team/app", "sha256:0b", T0, default));
        Assert.Equal(["v2", "v3"], (await _store.ReclaimableAsync(null, T0.AddHours(24), default)).Select(e => e.Tag).Order());
        Assert.Equal(["v1", "v1-alias", "v2", "v3"], (await _store.ReclaimableAsync(null, T0.AddHours(30), default)).Select(e => e.Tag).Order());
    }
}
