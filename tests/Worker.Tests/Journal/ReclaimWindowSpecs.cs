using System.Net;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Journal;
using RegistryCleaner.Worker.Tests.Support;
using Xunit;
using static RegistryCleaner.Worker.Tests.Support.ScriptedRegistry;

namespace RegistryCleaner.Worker.Tests.Journal;

/// <summary>A reclaim asks the journal again right before it deletes a digest: a tag of it deleted since keeps it.</summary>
public sealed class ReclaimWindowSpecs
{
    private const string Repository = "team/app";
    private const string Digest = AnyManifestDigest;
    private static readonly Dictionary<string, string?> Settings = new() { ["Reclaim:After"] = "1h" };

    [Fact]
    public async Task A_tag_of_the_digest_deleted_while_the_run_works_keeps_it_until_that_deletion_is_past_the_window()
    {
        var journal = new MemoryJournalStore();
        var old = await journal.BeginAsync(Intent("v1", DateTimeOffset.UtcNow.AddHours(-3)), default);
        await journal.CompleteAsync(old with { Outcome = JournalOutcome.Deleted, Digest = Digest, CompletedAt = DateTimeOffset.UtcNow.AddHours(-2) }, default);
        const string tags = """{"name":"team/app","tags":[]}""";
        // The run reads the journal and the repository; then, as it lists the tags once more before its DELETE, v1-alias
        // (another tag of the digest) is being deleted: its digest is in the journal, its DELETE already done.
        var registry = new ScriptedRegistry().On(HttpMethod.Get, $"/v2/{Repository}/tags/list", Status(HttpStatusCode.OK, tags), async (request, ct) =>
        {
            var young = await journal.BeginAsync(Intent("v1-alias", DateTimeOffset.UtcNow), ct);
            await journal.NoteDigestAsync(young, Digest, null, ct);
            return await Status(HttpStatusCode.OK, tags)(request, ct);
        });
        await using var harness = new WorkerHarness(registry, Settings, journal);
        await harness.StartAsync();
        var command = new ReclaimDigests { RunId = Guid.NewGuid(), Registry = "oci" };

        await harness.SendAsync(QueueNames.Reclaim, command);
        var completed = await harness.EventAsync<ReclaimCompleted>(m => m.RunId == command.RunId);

        Assert.True(completed.Succeeded, completed.Detail);
        Assert.Equal((0, 1), (completed.Reclaimed, completed.Kept));
        Assert.DoesNotContain(registry.Requests, r => r.Method == HttpMethod.Delete);
        var kept = Assert.Single(await journal.ReadAsync(new QueryJournal { RunId = command.RunId }, 0, 10, default));
        Assert.Equal((JournalAction.ReclaimDigest, JournalOutcome.Kept), (kept.Action, kept.Outcome));
        Assert.Contains("less than Reclaim:After ago", kept.Detail);
    }

    private static JournalRecord Intent(string tag, DateTimeOffset at) => new()
    {
        Id = Guid.NewGuid(), Action = JournalAction.DeleteTag, Registry = "oci", Repository = Repository, Tag = tag, RequestId = Guid.NewGuid(), RecordedAt = at,
    };
}
