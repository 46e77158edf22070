using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Tests.Support;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Journal;

/// <summary>Restore refuses bad input the way deletions do: a clear reason, and nothing sent to the registry.</summary>
public sealed class RestoreRefusalSpecs
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Registries:oci:AllowedRepositories:0"] = "^team/.*$",
        ["Registries:guarded:Kind"] = "Oci",
        ["Registries:guarded:Endpoint"] = WorkerHarness.Endpoint,
        ["Registries:guarded:AllowedPublishers:0"] = "release-bot",
        ["Registries:swr:Kind"] = "Swr",
        ["Registries:swr:Endpoint"] = WorkerHarness.Endpoint,
        ["Registries:swr:Token"] = "token",
    };

    public static TheoryData<string, string, string, RestoreFailure, string> Refused => new()
    {
        { "nowhere", "team/app", "v1", RestoreFailure.UnknownRegistry, "not configured" },
        { "https://evil.example", "team/app", "v1", RestoreFailure.UnknownRegistry, "not a URL" },
        { "oci", "team/app", "../../v1", RestoreFailure.Rejected, "OCI grammar" },
        { "oci", "Team/App", "v1", RestoreFailure.Rejected, "OCI grammar" },
        { "oci", "other/app", "v1", RestoreFailure.Forbidden, "outside the scope" },
        { "guarded", "team/app", "v1", RestoreFailure.Forbidden, "no verified publisher" },
        { "oci", "team/app", "never-deleted", RestoreFailure.NotInJournal, "holds no completed deletion" },
        { "swr", "team/app", "v1", RestoreFailure.NotRestorable, "Not restorable on this registry kind (Swr)" },
    };

    [Theory, MemberData(nameof(Refused))]
    public async Task Bad_restores_are_refused_with_a_reason_and_reach_no_registry(string registryName, string repository, string tag, RestoreFailure failure, string reason)
    {
        var registry = new ScriptedRegistry();
        var harness = new WorkerHarness(registry, Settings);
        await using var _ = harness;
        await harness.StartAsync();
        var command = new RestoreTag { RequestId = Guid.NewGuid(), Registry = registryName, Repository = repository, Tag = tag };

        await harness.SendAsync(QueueNames.RestoreTag, command);
        var refused = await RefusalAsync(harness, command.RequestId);

        Assert.Equal(failure, refused.Failure);
        Assert.Contains(reason, refused.Detail);
        Assert.Empty(registry.Requests);
        Assert.Empty(harness.Harness.Published.Select<TagRestored>());
    }

    [Fact]
    public async Task A_restore_without_a_RequestId_is_refused()
    {
        var registry = new ScriptedRegistry();
        var harness = new WorkerHarness(registry, Settings);
        await using var _ = harness;
        await harness.StartAsync();

        await harness.SendAsync(QueueNames.RestoreTag, new RestoreTag { Registry = "oci", Repository = "team/app", Tag = "v1" });
        var refused = await RefusalAsync(harness, Guid.Empty);

        Assert.Equal(RestoreFailure.Rejected, refused.Failure);
        Assert.Empty(registry.Requests);
    }

    private static Task<RestoreFailed> RefusalAsync(WorkerHarness harness, Guid requestId) =>
        harness.EventAsync<RestoreFailed>(m => m.RequestId == requestId);
}
