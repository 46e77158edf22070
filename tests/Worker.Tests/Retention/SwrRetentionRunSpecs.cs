using RegistryCleaner.Contracts;
using RegistryCleaner.Sandbox;
using RegistryCleaner.Worker.Tests.Support;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Retention;

/// <summary>A retention run through the bus against the sandbox's SWR, whose tag listing carries <c>created</c> and <c>updated</c>.</summary>
public sealed class SwrRetentionRunSpecs : IAsyncLifetime
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
                    Name = "swr",
                    Kind = RegistryKind.Swr,
                    AccessKey = "AK-RETENTION",
                    SecretKey = "SK-RETENTION",
                    Repositories =
                    [
                        new SeedRepository
                        {
                            Name = "acme/web",
                            Tags =
                            [
                                Tag("latest", 300), Tag("v1", 200), Tag("v2", 120), Tag("v3", 90),
                                // Created long ago but pushed again last week: as young as that push.
                                Tag("stable", 400, updatedDaysAgo: 7),
                                Tag("v4", 10), Tag("v5", 2),
                            ],
                        },
                        new SeedRepository { Name = "acme/api", Tags = [Tag("r1", 300), Tag("r2", 200), Tag("r3", 1)] },
                        new SeedRepository { Name = "other/web", Tags = [Tag("v1", 300), Tag("v2", 200)] },
                    ],
                },
            ],
        });
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private static SeedTag Tag(string name, int daysOld, int? updatedDaysAgo = null) =>
        new() { Name = name, Created = Now.AddDays(-daysOld), Updated = Now.AddDays(-(updatedDaysAgo ?? daysOld)) };

    [Fact]
    public async Task A_run_deletes_exactly_the_tags_older_than_the_rule_outside_the_newest_and_the_protected()
    {
        await using var harness = new WorkerHarness(null, new Dictionary<string, string?>
        {
            ["Registries:swr:Kind"] = "Swr",
            ["Registries:swr:Endpoint"] = _sandbox.EndpointOf("swr").ToString(),
            ["Registries:swr:AccessKey"] = "AK-RETENTION",
            ["Registries:swr:SecretKey"] = "SK-RETENTION",
            ["Retention:Policies:acme:Registry"] = "swr",
            ["Retention:Policies:acme:Repositories:Include:0"] = "acme/.*",
            ["Retention:Policies:acme:Repositories:Exclude:0"] = "acme/api",
            ["Retention:Policies:acme:KeepNewest"] = "2",
            ["Retention:Policies:acme:DeleteOlderThan"] = "30d",
            ["Retention:Policies:acme:Protect:0"] = "latest",
        });
        await harness.StartAsync();
        var run = new RunRetentionPolicy { RunId = Guid.NewGuid(), Policy = "acme" };

        await harness.SendAsync(QueueNames.RunRetentionPolicy, run);
        var report = await harness.RunReportAsync(run.RunId);

        Assert.Equal(RetentionRunStatus.Completed, report.Status);
        var plan = Assert.Single(report.Repositories);
        Assert.Equal("acme/web", plan.Repository);
        Assert.Equal((7, 1, 0, 3), (plan.Scanned, plan.Protected, plan.Undated, plan.ToDelete));
        Assert.Equal(["v3", "v2", "v1"], plan.Condemned.Select(c => c.Tag));
        foreach (var tag in plan.Condemned)
        {
            var deletion = await harness.ResultForRunAsync(run.RunId, tag.Tag);
            Assert.Equal("acme", deletion.Policy);
            Assert.Equal(DeletionOutcome.Deleted, deletion.Outcome);
        }
        Assert.Equal(["latest", "stable", "v4", "v5"], _sandbox.State.Tags("swr", "acme/web"));
        Assert.Equal(["r1", "r2", "r3"], _sandbox.State.Tags("swr", "acme/api"));
        Assert.Equal(["v1", "v2"], _sandbox.State.Tags("swr", "other/web"));
        Assert.Equal(["/v2/manage/namespaces/acme/repos/web/tags/v1", "/v2/manage/namespaces/acme/repos/web/tags/v2", "/v2/manage/namespaces/acme/repos/web/tags/v3"],
            _sandbox.Requests.Snapshot().Where(r => r.Method == "DELETE").Select(r => r.RawPath).Order(StringComparer.Ordinal));
    }
}
