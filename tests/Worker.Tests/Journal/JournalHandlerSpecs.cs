using System.Net;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Journal;
using RegistryCleaner.Worker.Tests.Support;
using Xunit;
using static RegistryCleaner.Worker.Tests.Support.ScriptedRegistry;

namespace RegistryCleaner.Worker.Tests.Journal;

public sealed class JournalHandlerSpecs
{
    private const string TagPath = "/v2/team/app/manifests/v2";

    // The tag's manifest GET (answered with AnyManifest) names the digest, then the spec 1.1 tag delete answers 202.
    private static ScriptedRegistry TagDeleteRegistry() => new ScriptedRegistry()
        .On(HttpMethod.Delete, TagPath, Status(HttpStatusCode.Accepted));

    private static DeleteTag Command() => new()
    {
        RequestId = Guid.NewGuid(), Registry = "oci", Repository = "team/app", Tag = "v2", Reason = "superseded", RequestedBy = "alice",
    };

    [Fact]
    public async Task A_deletion_is_journaled_with_its_digest_and_the_event_carries_it()
    {
        var registry = TagDeleteRegistry();
        var harness = new WorkerHarness(registry);
        await using var _ = harness;
        await harness.StartAsync();
        var command = Command();

        await harness.SendAsync(QueueNames.DeleteTag, command);
        var succeeded = Assert.IsType<DeletionSucceeded>(await harness.ResultAsync(command.RequestId));

        var entry = Assert.Single(await harness.Journal.ReadAsync(new QueryJournal { Request = command.RequestId }, 0, 10, default));
        Assert.Equal(AnyManifestDigest, succeeded.Digest);
        Assert.Equal((JournalAction.DeleteTag, JournalOutcome.Deleted, "oci", "team/app", "v2", succeeded.Digest, "superseded", "alice"),
            (entry.Action, entry.Outcome, entry.Registry, entry.Repository, entry.Tag, entry.Digest, entry.Reason, entry.RequestedBy));
        Assert.NotNull(entry.CompletedAt);
    }

    [Fact]
    public async Task When_the_intent_cannot_be_journaled_nothing_reaches_the_registry_and_the_command_fails()
    {
        var registry = TagDeleteRegistry();
        var harness = new WorkerHarness(registry, journal: new BrokenJournal(failBegin: true));
        await using var _ = harness;
        await harness.StartAsync();
        var command = Command();

        await harness.SendAsync(QueueNames.DeleteTag, command);
        var failed = Assert.IsType<DeletionFailed>(await harness.ResultAsync(command.RequestId));

        Assert.Equal(FailureKind.Internal, failed.Failure);
        Assert.Contains("journal", failed.Detail);
        Assert.Empty(registry.Requests);
        Assert.True(harness.KeptInErrorQueue(command.RequestId));
    }

    [Fact]
    public async Task When_the_outcome_cannot_be_journaled_the_deletion_is_not_reported_as_succeeded()
    {
        var registry = TagDeleteRegistry();
        var harness = new WorkerHarness(registry, journal: new BrokenJournal(failBegin: false));
        await using var _ = harness;
        await harness.StartAsync();
        var command = Command();

        await harness.SendAsync(QueueNames.DeleteTag, command);
        var failed = Assert.IsType<DeletionFailed>(await harness.ResultAsync(command.RequestId));

        Assert.Equal(FailureKind.Internal, failed.Failure);
        Assert.Contains("could not record", failed.Detail);
        Assert.Contains(AnyManifestDigest, failed.Detail);
        Assert.Equal(1, registry.Count(HttpMethod.Delete, TagPath));
    }

    [Fact]
    public async Task A_redelivered_command_completes_the_intent_its_dead_worker_left()
    {
        var registry = TagDeleteRegistry();
        var journal = new MemoryJournalStore();
        var command = Command();
        await journal.BeginAsync(new JournalRecord
        {
            Id = Guid.NewGuid(), Action = JournalAction.DeleteTag, Registry = "oci", Repository = "team/app", Tag = "v2", RequestId = command.RequestId,
            RecordedAt = DateTimeOffset.UtcNow,
        }, default);
        var harness = new WorkerHarness(registry, journal: journal);
        await using var _ = harness;
        await harness.StartAsync();

        await harness.SendAsync(QueueNames.DeleteTag, command);
        Assert.IsType<DeletionSucceeded>(await harness.ResultAsync(command.RequestId));

        var entry = Assert.Single(await journal.ReadAsync(new QueryJournal { Request = command.RequestId }, 0, 10, default));
        Assert.Equal(JournalOutcome.Deleted, entry.Outcome);
    }

    [Fact]
    public async Task A_command_redelivered_after_its_delete_keeps_the_digest_it_deleted()
    {
        // The first delivery deletes, then cannot write its outcome (as if its worker died there); the tag is gone for the next.
        var registry = new ScriptedRegistry()
            .On(HttpMethod.Get, TagPath, AnyManifest, OciError(HttpStatusCode.NotFound, "MANIFEST_UNKNOWN"))
            .On(HttpMethod.Delete, TagPath, Status(HttpStatusCode.Accepted));
        var journal = new BrokenJournal(failBegin: false, failedOutcomes: 1);
        var harness = new WorkerHarness(registry, journal: journal);
        await using var _ = harness;
        await harness.StartAsync();
        var command = Command();

        await harness.SendAsync(QueueNames.DeleteTag, command);
        Assert.IsType<DeletionFailed>(await harness.ResultAsync(command.RequestId));
        await harness.SendAsync(QueueNames.DeleteTag, command);
        var succeeded = await harness.EventAsync<DeletionSucceeded>(m => m.RequestId == command.RequestId);

        Assert.Equal((DeletionOutcome.Deleted, AnyManifestDigest), (succeeded.Outcome, succeeded.Digest));
        var entry = Assert.Single(await journal.ReadAsync(new QueryJournal { Request = command.RequestId }, 0, 10, default));
        Assert.Equal((JournalOutcome.Deleted, AnyManifestDigest), (entry.Outcome, entry.Digest));
        Assert.Equal(1, registry.Count(HttpMethod.Delete, TagPath));
    }

    [Fact]
    public async Task A_refused_command_writes_nothing_to_the_journal()
    {
        var harness = new WorkerHarness(TagDeleteRegistry());
        await using var _ = harness;
        await harness.StartAsync();
        var command = Command() with { Tag = "../../v2" };

        await harness.SendAsync(QueueNames.DeleteTag, command);
        Assert.IsType<DeletionFailed>(await harness.ResultAsync(command.RequestId));

        Assert.Empty(await harness.Journal.ReadAsync(new QueryJournal(), 0, 10, default));
    }

    /// <summary>A journal whose database is gone: at the intent, or only once the registry has answered (for the first <paramref name="failedOutcomes"/> outcomes).</summary>
    private sealed class BrokenJournal(bool failBegin, int failedOutcomes = int.MaxValue) : IJournalStore
    {
        private readonly MemoryJournalStore _inner = new();
        private int _outcomes;

        public Task InitializeAsync(CancellationToken ct) => Task.CompletedTask;
        public Task<JournalRecord> BeginAsync(JournalRecord intent, CancellationToken ct) => failBegin ? throw new IOException("disk full") : _inner.BeginAsync(intent, ct);
        public Task NoteDigestAsync(JournalRecord pending, string digest, string? mediaType, CancellationToken ct) => _inner.NoteDigestAsync(pending, digest, mediaType, ct);
        public Task CompleteAsync(JournalRecord completed, CancellationToken ct) =>
            Interlocked.Increment(ref _outcomes) <= failedOutcomes ? throw new IOException("disk full") : _inner.CompleteAsync(completed, ct);
        public Task<IReadOnlyList<JournalRecord>> ReadAsync(QueryJournal query, long after, int limit, CancellationToken ct) => _inner.ReadAsync(query, after, limit, ct);
        public Task<IReadOnlyList<JournalRecord>> ReclaimableAsync(string? registry, DateTimeOffset before, CancellationToken ct) => _inner.ReclaimableAsync(registry, before, ct);
        public Task<bool> DeletedSinceAsync(string registry, string repository, string digest, DateTimeOffset before, CancellationToken ct) =>
            _inner.DeletedSinceAsync(registry, repository, digest, before, ct);
        public Task<DigestMark?> MarkOfAsync(string registry, string repository, string digest, CancellationToken ct) => _inner.MarkOfAsync(registry, repository, digest, ct);
        public Task<bool> TryClaimAsync(string registry, string repository, string digest, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken ct) =>
            _inner.TryClaimAsync(registry, repository, digest, owner, now, lease, ct);
        public Task MarkAsync(string registry, string repository, string digest, DigestState state, DateTimeOffset at, string owner, CancellationToken ct) =>
            _inner.MarkAsync(registry, repository, digest, state, at, owner, ct);
        public Task ReleaseAsync(string registry, string repository, string digest, string owner, CancellationToken ct) => _inner.ReleaseAsync(registry, repository, digest, owner, ct);
    }
}
