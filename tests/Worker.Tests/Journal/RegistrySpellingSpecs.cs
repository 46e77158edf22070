using System.Net;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Journal;
using RegistryCleaner.Worker.Tests.Support;
using Xunit;
using static RegistryCleaner.Worker.Tests.Support.ScriptedRegistry;

namespace RegistryCleaner.Worker.Tests.Journal;

/// <summary>
/// Registry names resolve ignoring case; restore and reclaim events (and so their routing keys) carry the configured
/// spelling once the registry is resolved, as deletion results do, so that an observer bound to "tag-restored.oci" also
/// hears of a command that said "OCI". A registry that is not configured keeps the command's text.
/// </summary>
public sealed class RegistrySpellingSpecs
{
    private const string Repository = "team/app";
    private const string Digest = AnyManifestDigest;

    private static readonly Dictionary<string, string?> Guarded = new()
    {
        ["Registries:guarded:Kind"] = "Oci",
        ["Registries:guarded:Endpoint"] = WorkerHarness.Endpoint,
        ["Registries:guarded:AllowedPublishers:0"] = "release-bot",
        ["Reclaim:After"] = "0",
    };

    [Fact]
    public async Task A_restore_that_names_the_registry_in_another_case_is_reported_under_its_configured_name()
    {
        var registry = new ScriptedRegistry()
            .On(HttpMethod.Head, $"/v2/{Repository}/manifests/v1", Status(HttpStatusCode.NotFound))
            .On(HttpMethod.Get, $"/v2/{Repository}/manifests/v1", OciError(HttpStatusCode.NotFound, "MANIFEST_UNKNOWN"))
            .On(HttpMethod.Put, $"/v2/{Repository}/manifests/v1", Status(HttpStatusCode.Created, null, r => r.Headers.Add("Docker-Content-Digest", Digest)));
        var journal = new MemoryJournalStore();
        await JournalEntries.DeletedAsync(journal, Digest);
        await using var harness = new WorkerHarness(registry, null, journal);
        await harness.StartAsync();
        var command = new RestoreTag { RequestId = Guid.NewGuid(), Registry = "OCI", Repository = Repository, Tag = "v1" };

        await harness.SendAsync(QueueNames.RestoreTag, command);
        var restored = await harness.EventAsync<TagRestored>(m => m.RequestId == command.RequestId);

        Assert.Equal("oci", restored.Registry);
        Assert.Equal(Digest, restored.Digest);
        Assert.Contains(registry.Requests, r => r.Method == HttpMethod.Put);
        Assert.Empty(harness.Harness.Published.Select<RestoreFailed>());
    }

    [Theory]
    [InlineData("GUARDED", "guarded")]   // resolved, then refused: no verified publisher
    [InlineData("Nowhere", "Nowhere")]   // not configured: the command's text
    public async Task A_refused_restore_names_the_registry_as_configured_once_resolved(string named, string reported)
    {
        var registry = new ScriptedRegistry();
        await using var harness = new WorkerHarness(registry, Guarded);
        await harness.StartAsync();
        var command = new RestoreTag { RequestId = Guid.NewGuid(), Registry = named, Repository = Repository, Tag = "v1" };

        await harness.SendAsync(QueueNames.RestoreTag, command);
        var refused = await harness.EventAsync<RestoreFailed>(m => m.RequestId == command.RequestId);

        Assert.Equal(reported, refused.Registry);
        Assert.Empty(registry.Requests);
    }

    [Fact]
    public async Task A_reclaim_that_names_the_registry_in_another_case_is_reported_under_its_configured_name()
    {
        var registry = new ScriptedRegistry()
            .On(HttpMethod.Get, $"/v2/{Repository}/tags/list", Status(HttpStatusCode.OK, """{"name":"team/app","tags":[]}"""));
        var journal = new MemoryJournalStore();
        await JournalEntries.DeletedAsync(journal, Digest);
        await using var harness = new WorkerHarness(registry, Guarded, journal);
        await harness.StartAsync();
        var command = new ReclaimDigests { RunId = Guid.NewGuid(), Registry = "OCI", DryRun = true };

        await harness.SendAsync(QueueNames.Reclaim, command);
        var completed = await harness.EventAsync<ReclaimCompleted>(m => m.RunId == command.RunId);

        Assert.True(completed.Succeeded, completed.Detail);
        Assert.Equal("oci", completed.Registry);
        var reclaimed = Assert.Single(harness.Harness.Published.Select<DigestReclaimed>(), m => m.Context.Message.RunId == command.RunId).Context.Message;
        Assert.Equal(("oci", Digest), (reclaimed.Registry, reclaimed.Digest));
        Assert.DoesNotContain(registry.Requests, r => r.Method == HttpMethod.Delete);
    }

    [Theory]
    [InlineData("GUARDED", "guarded")]   // resolved, then refused: no verified publisher
    [InlineData("Nowhere", "Nowhere")]   // not configured: the command's text
    public async Task A_refused_reclaim_names_the_registry_as_configured_once_resolved(string named, string reported)
    {
        var registry = new ScriptedRegistry();
        await using var harness = new WorkerHarness(registry, Guarded);
        await harness.StartAsync();
        var command = new ReclaimDigests { RunId = Guid.NewGuid(), Registry = named };

        await harness.SendAsync(QueueNames.Reclaim, command);
        var completed = await harness.EventAsync<ReclaimCompleted>(m => m.RunId == command.RunId);

        Assert.False(completed.Succeeded);
        Assert.Equal(reported, completed.Registry);
        Assert.Empty(registry.Requests);
    }
}
