using System.Net;
using System.Text;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Journal;
using RegistryCleaner.Worker.Tests.Support;
using Xunit;
using static RegistryCleaner.Worker.Tests.Support.ScriptedRegistry;

namespace RegistryCleaner.Worker.Tests.Reliability;

/// <summary>
/// A restore, a reclaim run and a retention run end in their result event even when the worker fails in a way no
/// registry answer is classified as (a tag list that is an HTML page, a manifest over 4 MiB): the event names the
/// exception's type only, never its text, and a journal row opened for the work is completed.
/// </summary>
public sealed class UnexpectedFailureSpecs
{
    private const string Repository = "team/app";
    private static readonly string Digest = "sha256:" + new string('c', 64);
    private const string TagList = $"/v2/{Repository}/tags/list";

    /// <summary>A proxy's or portal's page where the registry API should be, answered 200.</summary>
    private static readonly Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> HtmlPage = (_, _) =>
        Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<html><body>Sign in</body></html>", Encoding.UTF8, "text/html") });

    /// <summary>A manifest (or referrers index) over the 4 MiB the worker reads of one: reading it throws InvalidDataException.</summary>
    private static readonly Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Oversized =
        Status(HttpStatusCode.OK, "{\"schemaVersion\":2,\"annotations\":{\"x\":\"" + new string('x', 5 * 1024 * 1024) + "\"}}",
            r => r.Content!.Headers.ContentType = new("application/vnd.oci.image.manifest.v1+json"));

    private const string ReadLimitText = "larger than";

    [Fact]
    public async Task A_restore_that_fails_unexpectedly_ends_in_RestoreFailed_and_completes_its_journal_row()
    {
        var registry = new ScriptedRegistry()
            .On(HttpMethod.Get, $"/v2/{Repository}/manifests/v1", OciError(HttpStatusCode.NotFound, "MANIFEST_UNKNOWN"))
            .On(HttpMethod.Get, $"/v2/{Repository}/manifests/{Digest}", Oversized);
        var journal = new MemoryJournalStore();
        await JournalEntries.DeletedAsync(journal, Digest);
        await using var harness = new WorkerHarness(registry, null, journal);
        await harness.StartAsync();
        var command = new RestoreTag { RequestId = Guid.NewGuid(), Registry = "oci", Repository = Repository, Tag = "v1" };

        await harness.SendAsync(QueueNames.RestoreTag, command);
        var failed = await harness.EventAsync<RestoreFailed>(m => m.RequestId == command.RequestId);

        Assert.Equal(RestoreFailure.Internal, failed.Failure);
        Assert.Equal(Digest, failed.Digest);
        Assert.Contains("InvalidDataException", failed.Detail);
        Assert.DoesNotContain(ReadLimitText, failed.Detail);
        Assert.Empty(harness.Harness.Published.Select<TagRestored>());
        var row = Assert.Single(await journal.ReadAsync(new QueryJournal { Request = command.RequestId }, 0, 10, default));
        Assert.Equal((JournalAction.RestoreTag, JournalOutcome.Failed), (row.Action, row.Outcome));
        Assert.Equal(failed.Detail, row.Detail);
        Assert.DoesNotContain(registry.Requests, r => r.Method == HttpMethod.Put);
    }

    [Fact]
    public async Task A_reclaim_whose_tag_list_is_an_HTML_page_ends_in_a_failed_ReclaimCompleted()
    {
        var registry = new ScriptedRegistry().On(HttpMethod.Get, TagList, HtmlPage);
        var journal = new MemoryJournalStore();
        await JournalEntries.DeletedAsync(journal, Digest);
        await using var harness = new WorkerHarness(registry, new Dictionary<string, string?> { ["Reclaim:After"] = "0" }, journal);
        await harness.StartAsync();
        var command = new ReclaimDigests { RunId = Guid.NewGuid(), Registry = "oci" };

        await harness.SendAsync(QueueNames.Reclaim, command);
        var completed = await harness.EventAsync<ReclaimCompleted>(m => m.RunId == command.RunId);

        Assert.False(completed.Succeeded);
        Assert.Equal((0, 1), (completed.Reclaimed, completed.Failed));
        Assert.Contains($"oci/{Repository}", completed.Detail);
        Assert.Contains("not an OCI tag list", completed.Detail);
        Assert.DoesNotContain(registry.Requests, r => r.Method == HttpMethod.Delete);
        Assert.True(await journal.TryClaimAsync("oci", Repository, Digest, "another-run", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), default),
            "the digest stays free for the next run");
    }

    [Fact]
    public async Task A_reclaim_that_fails_unexpectedly_ends_in_a_failed_ReclaimCompleted_completes_its_row_and_frees_the_digest()
    {
        var registry = new ScriptedRegistry()
            .On(HttpMethod.Get, TagList, Status(HttpStatusCode.OK, """{"name":"team/app","tags":[]}"""))
            .On(HttpMethod.Get, $"/v2/{Repository}/referrers/{Digest}", Oversized);
        var journal = new MemoryJournalStore();
        await JournalEntries.DeletedAsync(journal, Digest);
        await using var harness = new WorkerHarness(registry, new Dictionary<string, string?> { ["Reclaim:After"] = "0" }, journal);
        await harness.StartAsync();
        var command = new ReclaimDigests { RunId = Guid.NewGuid(), Registry = "oci" };

        await harness.SendAsync(QueueNames.Reclaim, command);
        var completed = await harness.EventAsync<ReclaimCompleted>(m => m.RunId == command.RunId);

        Assert.False(completed.Succeeded);
        Assert.Equal((0, 0, 1), (completed.Reclaimed, completed.Kept, completed.Failed));
        Assert.DoesNotContain(ReadLimitText, completed.Detail ?? "");
        Assert.Empty(harness.Harness.Published.Select<DigestReclaimed>());
        Assert.DoesNotContain(registry.Requests, r => r.Method == HttpMethod.Delete);
        var row = Assert.Single(await journal.ReadAsync(new QueryJournal { Request = command.RunId }, 0, 10, default));
        Assert.Equal((JournalAction.ReclaimDigest, JournalOutcome.Failed), (row.Action, row.Outcome));
        Assert.Contains("InvalidDataException", row.Detail);
        Assert.DoesNotContain(ReadLimitText, row.Detail);
        Assert.True(await journal.TryClaimAsync("oci", Repository, Digest, "another-run", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), default),
            "the digest stays free for the next run");
    }

    [Fact]
    public async Task A_retention_run_whose_tag_list_is_an_HTML_page_ends_in_a_failed_report()
    {
        var registry = new ScriptedRegistry().On(HttpMethod.Get, TagList, HtmlPage);
        await using var harness = RetentionHarness(registry);
        await harness.StartAsync();
        var run = new RunRetentionPolicy { RunId = Guid.NewGuid(), Policy = "nightly" };

        await harness.SendAsync(QueueNames.RunRetentionPolicy, run);
        var report = await harness.RunReportAsync(run.RunId);

        Assert.Equal(RetentionRunStatus.Failed, report.Status);
        Assert.Contains("not an OCI tag list", report.Reason);
        Assert.Contains("nothing was deleted", report.Reason);
        Assert.Equal(0, report.DeletionsSent);
        Assert.Empty(harness.Harness.Sent.Select<DeleteTag>());
    }

    [Fact]
    public async Task A_retention_run_that_fails_unexpectedly_while_dating_ends_in_a_failed_report()
    {
        var registry = new ScriptedRegistry()
            .On(HttpMethod.Get, TagList, Status(HttpStatusCode.OK, """{"name":"team/app","tags":["v1","v2"]}"""))
            .On(HttpMethod.Get, $"/v2/{Repository}/manifests/v1", Oversized);
        await using var harness = RetentionHarness(registry);
        await harness.StartAsync();
        var run = new RunRetentionPolicy { RunId = Guid.NewGuid(), Policy = "nightly" };

        await harness.SendAsync(QueueNames.RunRetentionPolicy, run);
        var report = await harness.RunReportAsync(run.RunId);

        Assert.Equal(RetentionRunStatus.Failed, report.Status);
        Assert.Contains("InvalidDataException", report.Reason);
        Assert.Contains("nothing was deleted", report.Reason);
        Assert.DoesNotContain(ReadLimitText, report.Reason);
        Assert.Equal(0, report.DeletionsSent);
        Assert.Empty(harness.Harness.Sent.Select<DeleteTag>());
    }

    [Fact]
    public async Task A_referrer_whose_subject_check_fails_unexpectedly_is_kept_with_a_DeletionFailed()
    {
        var signature = Digest.Replace(':', '-') + ".sig";
        var registry = new ScriptedRegistry()
            .On(HttpMethod.Get, TagList, Status(HttpStatusCode.OK, $$"""{"name":"{{Repository}}","tags":["{{signature}}","v1"]}"""))
            .On(HttpMethod.Get, $"/v2/{Repository}/manifests/v1", Oversized);
        await using var harness = new WorkerHarness(registry);
        await harness.StartAsync();
        var command = new DeleteTag { RequestId = Guid.NewGuid(), Registry = "oci", Repository = Repository, Tag = signature, OnlyIfUntagged = Digest };

        await harness.SendAsync(QueueNames.DeleteTag, command);
        var failed = await harness.EventAsync<DeletionFailed>(m => m.RequestId == command.RequestId);

        Assert.Equal(FailureKind.Internal, failed.Failure);
        Assert.Contains("InvalidDataException", failed.Detail);
        Assert.DoesNotContain(ReadLimitText, failed.Detail);
        Assert.DoesNotContain(registry.Requests, r => r.Method == HttpMethod.Delete || r.Method == HttpMethod.Put);
    }

    [Fact]
    public async Task A_retention_run_whose_repository_catalog_is_an_HTML_page_fails_as_misconfigured()
    {
        var registry = new ScriptedRegistry().On(HttpMethod.Get, "/v2/_catalog", HtmlPage);
        await using var harness = RetentionHarness(registry, include: "team/.*");
        await harness.StartAsync();
        var run = new RunRetentionPolicy { RunId = Guid.NewGuid(), Policy = "nightly" };

        await harness.SendAsync(QueueNames.RunRetentionPolicy, run);
        var report = await harness.RunReportAsync(run.RunId);

        Assert.Equal(RetentionRunStatus.Failed, report.Status);
        Assert.Contains("not an OCI catalog", report.Reason);
        Assert.Contains("Registries:oci:Endpoint", report.Reason);
        Assert.Empty(harness.Harness.Sent.Select<DeleteTag>());
    }

    private static WorkerHarness RetentionHarness(ScriptedRegistry registry, string include = Repository) => new(registry, new Dictionary<string, string?>
    {
        ["Retention:Policies:nightly:Registry"] = "oci",
        ["Retention:Policies:nightly:Repositories:Include:0"] = include,
        ["Retention:Policies:nightly:KeepNewest"] = "1",
    });
}
