using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Journal;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Journal;

/// <summary>The same behaviour from the in-memory store and the SQLite store (PostgreSQL: the integration tests).</summary>
public sealed class JournalStoreSpecs : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("journal-specs").FullName;

    public static TheoryData<string> Stores => ["memory", "sqlite"];

    private async Task<IJournalStore> StoreAsync(string kind)
    {
        IJournalStore store = kind == "memory" ? new MemoryJournalStore() : new SqliteJournalStore(Path.Combine(_directory, "sub", "journal.db"));
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }

    private static JournalRecord Intent(Guid request, string tag, DateTimeOffset at) => new()
    {
        Id = Guid.NewGuid(), Action = JournalAction.DeleteTag, Registry = "oci", Repository = "team/app", Tag = tag, RequestId = request,
        VerifiedPublisher = "ci", RequestedBy = "me", Reason = "why", Policy = "nightly", RunId = Guid.NewGuid(), RecordedAt = at,
    };

    [Theory, MemberData(nameof(Stores))]
    public async Task An_intent_is_pending_until_completed_and_keeps_every_field(string kind)
    {
        var store = await StoreAsync(kind);
        var intent = Intent(Guid.NewGuid(), "v1", T0);
        var entry = await store.BeginAsync(intent, default);
        Assert.Equal(JournalOutcome.Pending, Assert.Single(await store.ReadAsync(new QueryJournal(), 0, 10, default)).Outcome);

        await store.CompleteAsync(entry with { Outcome = JournalOutcome.Deleted, Digest = "sha256:aa", MediaType = "m", CompletedAt = T0.AddSeconds(1) }, default);

        var read = Assert.Single(await store.ReadAsync(new QueryJournal(), 0, 10, default));
        Assert.Equal(intent with { Sequence = read.Sequence, Outcome = JournalOutcome.Deleted, Digest = "sha256:aa", MediaType = "m", CompletedAt = T0.AddSeconds(1) }, read);
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task A_dangling_intent_is_reused_by_the_redelivered_command_and_a_completed_one_is_not(string kind)
    {
        var store = await StoreAsync(kind);
        var request = Guid.NewGuid();
        var first = await store.BeginAsync(Intent(request, "v1", T0), default);
        var again = await store.BeginAsync(Intent(request, "v1", T0.AddMinutes(1)), default);
        Assert.Equal(first.Id, again.Id);

        await store.CompleteAsync(again with { Outcome = JournalOutcome.Deleted, Digest = "sha256:aa", CompletedAt = T0 }, default);
        var repeat = await store.BeginAsync(Intent(request, "v1", T0.AddMinutes(2)), default);

        Assert.NotEqual(first.Id, repeat.Id);
        Assert.Equal(2, (await store.ReadAsync(new QueryJournal { Request = request }, 0, 10, default)).Count);
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task A_digest_noted_before_the_delete_is_found_by_the_redelivered_command_and_kept_by_its_outcome(string kind)
    {
        var store = await StoreAsync(kind);
        var request = Guid.NewGuid();
        var first = await store.BeginAsync(Intent(request, "v1", T0), default);
        await store.NoteDigestAsync(first, "sha256:aa", "application/vnd.oci.image.manifest.v1+json", default);

        var again = await store.BeginAsync(Intent(request, "v1", T0.AddMinutes(1)), default);
        Assert.Equal((first.Id, "sha256:aa", "application/vnd.oci.image.manifest.v1+json"), (again.Id, again.Digest, again.MediaType));

        await store.CompleteAsync(again with { Outcome = JournalOutcome.Deleted, Digest = null, MediaType = null, CompletedAt = T0.AddMinutes(1) }, default);
        var read = Assert.Single(await store.ReadAsync(new QueryJournal { Request = request }, 0, 10, default));
        Assert.Equal((JournalOutcome.Deleted, "sha256:aa"), (read.Outcome, read.Digest));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.NoteDigestAsync(read, "sha256:bb", null, default));
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task A_deletion_completed_by_one_delivery_stays_deleted_whatever_another_delivery_of_the_request_finds(string kind)
    {
        var store = await StoreAsync(kind);
        var request = Guid.NewGuid();
        var first = await store.BeginAsync(Intent(request, "v1", T0), default);
        var second = await store.BeginAsync(Intent(request, "v1", T0), default);
        Assert.Equal(first.Id, second.Id);

        await store.CompleteAsync(first with { Outcome = JournalOutcome.Deleted, Digest = "sha256:aa", CompletedAt = T0.AddSeconds(1) }, default);
        await store.CompleteAsync(second with { Outcome = JournalOutcome.AlreadyAbsent, CompletedAt = T0.AddSeconds(2) }, default);
        await store.CompleteAsync(second with { Outcome = JournalOutcome.Failed, Detail = "no", CompletedAt = T0.AddSeconds(3) }, default);

        var read = Assert.Single(await store.ReadAsync(new QueryJournal { Request = request }, 0, 10, default));
        Assert.Equal((JournalOutcome.Deleted, "sha256:aa", T0.AddSeconds(1)), (read.Outcome, read.Digest, read.CompletedAt));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.CompleteAsync(first with { Id = Guid.NewGuid(), Outcome = JournalOutcome.Failed }, default));
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task Filters_select_by_field_and_time_and_pages_follow_the_sequence(string kind)
    {
        var store = await StoreAsync(kind);
        for (var i = 0; i < 5; i++)
        {
            var e = await store.BeginAsync(Intent(Guid.NewGuid(), $"v{i}", T0.AddHours(i)) with { Repository = i % 2 == 0 ? "team/app" : "team/other" }, default);
            await store.CompleteAsync(e with { Outcome = JournalOutcome.Deleted, CompletedAt = T0.AddHours(i) }, default);
        }

        Assert.Equal(["v0", "v2", "v4"], (await store.ReadAsync(new QueryJournal { Repository = "team/app" }, 0, 10, default)).Select(e => e.Tag));
        Assert.Equal(["v1", "v2"], (await store.ReadAsync(new QueryJournal { Since = T0.AddHours(1), Until = T0.AddHours(2) }, 0, 10, default)).Select(e => e.Tag));
        Assert.Equal(5, (await store.ReadAsync(new QueryJournal { Registry = "OCI" }, 0, 10, default)).Count);
        Assert.Empty(await store.ReadAsync(new QueryJournal { Publisher = "someone-else" }, 0, 10, default));
        var page = await store.ReadAsync(new QueryJournal(), 0, 2, default);
        Assert.Equal(["v0", "v1"], page.Select(e => e.Tag));
        Assert.Equal(["v2", "v3"], (await store.ReadAsync(new QueryJournal(), page[^1].Sequence, 2, default)).Select(e => e.Tag));
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task Only_one_owner_holds_a_digest_until_its_claim_expires_and_a_reclaimed_digest_is_never_claimed_again(string kind)
    {
        var store = await StoreAsync(kind);
        Assert.True(await store.TryClaimAsync("oci", "team/app", "sha256:aa", "worker-1", T0, TimeSpan.FromMinutes(5), default));
        Assert.False(await store.TryClaimAsync("oci", "team/app", "sha256:aa", "worker-2", T0.AddMinutes(1), TimeSpan.FromMinutes(5), default));
        Assert.True(await store.TryClaimAsync("oci", "team/app", "sha256:aa", "worker-2", T0.AddMinutes(6), TimeSpan.FromMinutes(5), default));

        await store.MarkAsync("oci", "team/app", "sha256:aa", DigestState.Reclaimed, T0.AddMinutes(7), "worker-2", default);

        Assert.False(await store.TryClaimAsync("oci", "team/app", "sha256:aa", "worker-1", T0.AddHours(1), TimeSpan.FromMinutes(5), default));
        Assert.Equal(T0.AddMinutes(7), (await store.MarkOfAsync("oci", "team/app", "sha256:aa", default))!.ReclaimedAt);
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task Reclaimable_deletions_are_old_enough_and_neither_reclaimed_nor_kept_since(string kind)
    {
        var store = await StoreAsync(kind);
        async Task Deleted(string tag, string digest, DateTimeOffset at)
        {
            var e = await store.BeginAsync(Intent(Guid.NewGuid(), tag, at), default);
            await store.CompleteAsync(e with { Outcome = JournalOutcome.Deleted, Digest = digest, CompletedAt = at }, default);
        }
        await Deleted("old", "sha256:01", T0);
        await Deleted("young", "sha256:02", T0.AddHours(30));
        await Deleted("reclaimed", "sha256:03", T0);
        await Deleted("kept-before", "sha256:04", T0);
        await Deleted("deleted-again", "sha256:05", T0.AddHours(2));
        await store.MarkAsync("oci", "team/app", "sha256:03", DigestState.Reclaimed, T0.AddHours(1), "w", default);
        await store.MarkAsync("oci", "team/app", "sha256:04", DigestState.Kept, T0.AddHours(1), "w", default);
        await store.MarkAsync("oci", "team/app", "sha256:05", DigestState.Kept, T0.AddHours(1), "w", default);
        var pending = await store.BeginAsync(Intent(Guid.NewGuid(), "pending", T0), default);

        var reclaimable = await store.ReclaimableAsync(null, T0.AddHours(24), default);

        Assert.Equal(["old", "deleted-again"], reclaimable.Select(e => e.Tag));
        Assert.Empty(await store.ReclaimableAsync("other", T0.AddHours(24), default));
        Assert.Equal(JournalOutcome.Pending, pending.Outcome);
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task A_deletion_still_pending_keeps_its_digest_only_while_it_began_inside_the_window(string kind)
    {
        var store = await StoreAsync(kind);
        await Completed(store, JournalAction.DeleteTag, JournalOutcome.Deleted, "v1", "sha256:0a", T0);
        var pending = await store.BeginAsync(Intent(Guid.NewGuid(), "v1-alias", T0.AddHours(20)), default);
        await store.NoteDigestAsync(pending, "sha256:0a", null, default);

        Assert.Empty(await store.ReclaimableAsync(null, T0.AddHours(19), default));
        Assert.Equal(["v1"], (await store.ReclaimableAsync(null, T0.AddHours(21), default)).Select(e => e.Tag));
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task A_digest_is_not_reclaimable_while_the_deletion_of_a_sibling_tag_is_inside_the_window(string kind)
    {
        var store = await StoreAsync(kind);
        await Completed(store, JournalAction.DeleteTag, JournalOutcome.Deleted, "v1", "sha256:0a", T0);
        await Completed(store, JournalAction.DeleteTag, JournalOutcome.Deleted, "v1-alias", "sha256:0a", T0.AddHours(30));
        await Completed(store, JournalAction.DeleteTag, JournalOutcome.Deleted, "v2", "sha256:0b", T0);
        await Completed(store, JournalAction.DeleteTag, JournalOutcome.Deleted, "v1", "sha256:0a", T0.AddHours(30), "team/other");

        Assert.Equal(["v2"], (await store.ReclaimableAsync(null, T0.AddHours(24), default)).Select(e => e.Tag));
        Assert.Equal(["v1", "v1-alias", "v2", "v1"], (await store.ReclaimableAsync(null, T0.AddHours(30), default)).Select(e => e.Tag));
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task A_tag_deleted_restored_and_deleted_again_keeps_its_digest_until_the_last_deletion_is_past_the_window(string kind)
    {
        var store = await StoreAsync(kind);
        await Completed(store, JournalAction.DeleteTag, JournalOutcome.Deleted, "v1", "sha256:0c", T0);
        await Completed(store, JournalAction.RestoreTag, JournalOutcome.Restored, "v1", "sha256:0c", T0.AddHours(20));
        await Completed(store, JournalAction.DeleteTag, JournalOutcome.Deleted, "v1", "sha256:0c", T0.AddHours(22));

        Assert.Empty(await store.ReclaimableAsync(null, T0.AddHours(6), default));
        Assert.Equal([T0, T0.AddHours(22)], (await store.ReclaimableAsync(null, T0.AddHours(22), default)).Select(e => e.CompletedAt));
    }

    private static async Task Completed(IJournalStore store, JournalAction action, JournalOutcome outcome, string tag, string digest, DateTimeOffset at,
        string repository = "team/app")
    {
        var e = await store.BeginAsync(Intent(Guid.NewGuid(), tag, at) with { Action = action, Repository = repository }, default);
        await store.CompleteAsync(e with { Outcome = outcome, Digest = digest, CompletedAt = at }, default);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
