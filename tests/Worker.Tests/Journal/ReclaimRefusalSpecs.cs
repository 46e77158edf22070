using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Journal;
using RegistryCleaner.Worker.Tests.Support;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Journal;

/// <summary>Reclaim refuses bad input the way deletions do: a clear reason, nothing sent to the registry, nothing marked in the journal.</summary>
public sealed class ReclaimRefusalSpecs
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Registries:guarded:Kind"] = "Oci",
        ["Registries:guarded:Endpoint"] = WorkerHarness.Endpoint,
        ["Registries:guarded:AllowedPublishers:0"] = "release-bot",
        ["Reclaim:After"] = "0",
    };

    public static TheoryData<string?, string> Refused => new()
    {
        { "nowhere", "'nowhere' is not configured" },
        { "https://evil.example", "not a URL" },
        { "../oci", "not a URL" },
        { "guarded", "no verified publisher" },
    };

    [Theory, MemberData(nameof(Refused))]
    public async Task A_bad_reclaim_is_refused_with_a_reason_and_reaches_no_registry(string? registryName, string reason)
    {
        var registry = new ScriptedRegistry();
        var journal = new MemoryJournalStore();
        await JournalEntries.DeletedAsync(journal, Digest);
        var harness = new WorkerHarness(registry, Settings, journal);
        await using var _ = harness;
        await harness.StartAsync();
        var command = new ReclaimDigests { RunId = Guid.NewGuid(), Registry = registryName };

        await harness.SendAsync(QueueNames.Reclaim, command);
        var completed = await CompletedAsync(harness, command.RunId);

        Assert.False(completed.Succeeded);
        Assert.Contains(reason, completed.Detail);
        Assert.Empty(registry.Requests);
        Assert.Null(await journal.MarkOfAsync("oci", "team/app", Digest, default));
    }

    [Fact]
    public async Task A_reclaim_without_a_RunId_is_refused()
    {
        var registry = new ScriptedRegistry();
        var harness = new WorkerHarness(registry, Settings);
        await using var _ = harness;
        await harness.StartAsync();

        await harness.SendAsync(QueueNames.Reclaim, new ReclaimDigests { Registry = "oci" });
        var completed = await CompletedAsync(harness, Guid.Empty);

        Assert.False(completed.Succeeded);
        Assert.Contains("RunId", completed.Detail);
        Assert.Empty(registry.Requests);
    }

    [Fact]
    public async Task Inside_the_grace_window_nothing_is_reclaimed_and_the_registry_is_not_asked()
    {
        var registry = new ScriptedRegistry();
        var journal = new MemoryJournalStore();
        await JournalEntries.DeletedAsync(journal, Digest);
        var harness = new WorkerHarness(registry, new Dictionary<string, string?> { ["Reclaim:After"] = "24h" }, journal);
        await using var _ = harness;
        await harness.StartAsync();
        var command = new ReclaimDigests { RunId = Guid.NewGuid(), Registry = "oci" };

        await harness.SendAsync(QueueNames.Reclaim, command);
        var completed = await CompletedAsync(harness, command.RunId);

        Assert.True(completed.Succeeded, completed.Detail);
        Assert.Equal(0, completed.Reclaimed);
        Assert.Empty(registry.Requests);
    }

    private static readonly string Digest = "sha256:" + new string('b', 64);


    private static Task<ReclaimCompleted> CompletedAsync(WorkerHarness harness, Guid runId) =>
        harness.EventAsync<ReclaimCompleted>(m => m.RunId == runId);
}
