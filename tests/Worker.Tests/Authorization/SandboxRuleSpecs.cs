using RegistryCleaner.Contracts;
using RegistryCleaner.Sandbox;
using RegistryCleaner.Worker.Tests.Support;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Authorization;

/// <summary>Repository deletions and retention runs against the sandbox's OCI registry, bound by scopes and protected tags.</summary>
public sealed class SandboxRuleSpecs : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private SandboxServer _sandbox = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync(new SandboxSeed
        {
            Registries =
            [
                new SeedRegistry
                {
                    Name = "oci",
                    Kind = RegistryKind.Oci,
                    Repositories =
                    [
                        new SeedRepository { Name = "team/app", Tags = [Tag("latest", "a1", 200), Tag("v1", "a1", 200), Tag("v2", "a2", 100), Tag("v3", "a3", 1)] },
                        new SeedRepository { Name = "team/scratch", Tags = [Tag("build-1", "s1", 50), Tag("build-2", "s2", 40)] },
                        new SeedRepository { Name = "other/app", Tags = [Tag("v1", "o1", 300), Tag("v2", "o2", 200)] },
                        new SeedRepository { Name = "team/odd", Tags = [Tag(new string('a', 100) + "c", "d1", 300), Tag("v1", "d2", 1)] },
                    ],
                },
            ],
        });
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private static SeedTag Tag(string name, string image, int daysOld) => new() { Name = name, Image = image, Created = Now.AddDays(-daysOld) };

    private WorkerHarness Harness(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Registries:oci:Endpoint"] = _sandbox.EndpointOf("oci").ToString(),
            ["Registries:oci:AllowedRepositories:0"] = "team/.*",
            ["Protection:Tags:0"] = "latest",
            ["Retention:Policies:sweep:Registry"] = "oci",
            ["Retention:Policies:sweep:Repositories:Include:0"] = ".*/app",
            ["Retention:Policies:sweep:KeepNewest"] = "1",
            ["Retention:Policies:sweep:MinKeep"] = "0",
        };
        foreach (var (key, value) in extra ?? [])
            settings[key] = value;
        return new WorkerHarness(null, settings);
    }

    private IReadOnlyList<RequestRecord> RequestsFor(string repository) =>
        _sandbox.Requests.Snapshot("oci").Where(r => r.RawPath.Contains($"/{repository}/", StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task A_repository_holding_a_protected_tag_is_refused_whole()
    {
        await using var harness = Harness();
        await harness.StartAsync();
        var command = new DeleteRepository { RequestId = Guid.NewGuid(), Registry = "oci", Repository = "team/app" };

        await harness.SendAsync(QueueNames.DeleteRepository, command);

        var failed = Assert.IsType<DeletionFailed>(await harness.ResultAsync(command.RequestId));
        Assert.Equal(FailureKind.Forbidden, failed.Failure);
        Assert.Contains("'latest'", failed.Detail);
        Assert.Contains("Protection:Tags:0", failed.Detail);
        Assert.Equal(["latest", "v1", "v2", "v3"], _sandbox.State.Tags("oci", "team/app"));
        Assert.DoesNotContain(RequestsFor("team/app"), r => r.Method is "DELETE" or "PUT");
    }

    [Fact]
    public async Task A_repository_without_protected_tags_is_deleted()
    {
        await using var harness = Harness();
        await harness.StartAsync();
        var command = new DeleteRepository { RequestId = Guid.NewGuid(), Registry = "oci", Repository = "team/scratch" };

        await harness.SendAsync(QueueNames.DeleteRepository, command);

        var succeeded = Assert.IsType<DeletionSucceeded>(await harness.ResultAsync(command.RequestId));
        Assert.Equal(2, succeeded.TagsDeleted);
        Assert.Empty(_sandbox.State.Tags("oci", "team/scratch"));
    }

    [Fact]
    public async Task A_repository_deletion_outside_the_scope_never_reaches_the_registry()
    {
        await using var harness = Harness();
        await harness.StartAsync();
        var command = new DeleteRepository { RequestId = Guid.NewGuid(), Registry = "oci", Repository = "other/app" };

        await harness.SendAsync(QueueNames.DeleteRepository, command);

        var failed = Assert.IsType<DeletionFailed>(await harness.ResultAsync(command.RequestId));
        Assert.Equal(FailureKind.Forbidden, failed.Failure);
        Assert.Contains("Registries:oci:AllowedRepositories", failed.Detail);
        Assert.Empty(_sandbox.Requests.Snapshot("oci"));
    }

    [Fact]
    public async Task Retention_never_condemns_a_protected_tag_and_never_lists_a_repository_outside_the_scope()
    {
        await using var harness = Harness();
        await harness.StartAsync();
        var run = new RunRetentionPolicy { RunId = Guid.NewGuid(), Policy = "sweep" };

        await harness.SendAsync(QueueNames.RunRetentionPolicy, run);
        var report = await harness.RunReportAsync(run.RunId);

        Assert.Equal(RetentionRunStatus.Completed, report.Status);
        var plan = Assert.Single(report.Repositories);
        Assert.Equal("team/app", plan.Repository);
        Assert.Equal(1, plan.Protected);
        Assert.Equal(["v1", "v2"], plan.Condemned.Select(c => c.Tag).Order(StringComparer.Ordinal));
        foreach (var tag in plan.Condemned)
            await harness.ResultForRunAsync(run.RunId, tag.Tag);
        Assert.Equal(["latest", "v3"], _sandbox.State.Tags("oci", "team/app"));
        Assert.Equal(["v1", "v2"], _sandbox.State.Tags("oci", "other/app"));
        Assert.Empty(RequestsFor("other/app"));
        Assert.NotEmpty(RequestsFor("team/app"));
    }

    [Fact]
    public async Task A_repository_a_policy_names_outside_the_scope_is_skipped_and_reported()
    {
        await using var harness = Harness(new()
        {
            ["Retention:Policies:sweep:Repositories:Include:0"] = "other/app",
            ["Retention:Policies:sweep:Repositories:Include:1"] = "team/app",
        });
        await harness.StartAsync();
        var run = new RunRetentionPolicy { RunId = Guid.NewGuid(), Policy = "sweep", DryRun = true };

        await harness.SendAsync(QueueNames.RunRetentionPolicy, run);
        var report = await harness.RunReportAsync(run.RunId);

        Assert.Equal(RetentionRunStatus.Completed, report.Status);
        Assert.Equal(["team/app"], report.Repositories.Select(r => r.Repository));
        Assert.Contains("Registries:oci:AllowedRepositories", report.Reason);
        Assert.Contains("other/app", report.Reason);
        Assert.Empty(RequestsFor("other/app"));
    }

    [Fact]
    public async Task A_protection_pattern_that_cannot_decide_in_time_fails_the_run_and_deletes_nothing()
    {
        await using var harness = Harness(new()
        {
            ["Protection:Tags:1"] = "(a+)+b",
            ["Retention:Policies:sweep:Repositories:Include:0"] = "team/odd",
        });
        await harness.StartAsync();
        var run = new RunRetentionPolicy { RunId = Guid.NewGuid(), Policy = "sweep" };

        await harness.SendAsync(QueueNames.RunRetentionPolicy, run);
        var report = await harness.RunReportAsync(run.RunId);

        Assert.Equal(RetentionRunStatus.Failed, report.Status);
        Assert.Contains("took too long", report.Reason);
        Assert.Equal(0, report.DeletionsSent);
        Assert.Equal(2, _sandbox.State.Tags("oci", "team/odd").Count);
    }

    [Fact]
    public async Task Where_a_registry_has_an_allow_list_a_run_without_a_verified_publisher_is_refused()
    {
        await using var harness = Harness(new() { ["Registries:oci:AllowedPublishers:0"] = "ci-deployer" });
        await harness.StartAsync();
        var run = new RunRetentionPolicy { RunId = Guid.NewGuid(), Policy = "sweep", RequestedBy = "ci-deployer" };

        await harness.SendAsync(QueueNames.RunRetentionPolicy, run);
        var report = await harness.RunReportAsync(run.RunId);

        Assert.Equal(RetentionRunStatus.Failed, report.Status);
        Assert.Contains("Registries:oci:AllowedPublishers", report.Reason);
        Assert.Empty(_sandbox.Requests.Snapshot("oci"));
        Assert.Equal(4, _sandbox.State.Tags("oci", "team/app").Count);
    }
}
