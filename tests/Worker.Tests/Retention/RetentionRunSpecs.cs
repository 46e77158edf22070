using RegistryCleaner.Contracts;
using RegistryCleaner.Sandbox;
using RegistryCleaner.Worker.Tests.Support;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Retention;

/// <summary>A retention run through the bus against the sandbox's OCI registry, whose images carry real creation times.</summary>
public sealed class RetentionRunSpecs : IAsyncLifetime
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
                        new SeedRepository
                        {
                            Name = "team/app",
                            Tags =
                            [
                                Tag("latest", "i1", 200), Tag("v1", "i1", 200), Tag("v2", "i2", 120), Tag("v3", "i3", 60),
                                Tag("v4", "i4", 10), Tag("v5", "i5", 2), Tag("nightly", "i6", null),
                            ],
                        },
                        new SeedRepository { Name = "other/app", Tags = [Tag("v1", "o1", 300)] },
                    ],
                },
            ],
        });
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private static SeedTag Tag(string name, string image, int? daysOld) =>
        new() { Name = name, Image = image, Created = daysOld is { } d ? Now.AddDays(-d) : null };

    private WorkerHarness Harness(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Registries:oci:Endpoint"] = _sandbox.EndpointOf("oci").ToString(),
            ["Retention:Policies:nightly:Registry"] = "oci",
            ["Retention:Policies:nightly:Repositories:Include:0"] = "team/.*",
            ["Retention:Policies:nightly:KeepNewest"] = "2",
            ["Retention:Policies:nightly:DeleteOlderThan"] = "30d",
            ["Retention:Policies:nightly:Protect:0"] = "latest",
        };
        foreach (var (key, value) in extra ?? [])
            settings[key] = value;
        return new WorkerHarness(null, settings);
    }

    [Fact]
    public async Task A_run_reports_its_plan_and_deletes_exactly_the_condemned_tags()
    {
        await using var harness = Harness();
        await harness.StartAsync();
        var run = new RunRetentionPolicy { RunId = Guid.NewGuid(), Policy = "nightly" };

        await harness.SendAsync(QueueNames.RunRetentionPolicy, run);
        var report = await harness.RunReportAsync(run.RunId);

        Assert.Equal(RetentionRunStatus.Completed, report.Status);
        var plan = Assert.Single(report.Repositories);
        Assert.Equal("team/app", plan.Repository);
        Assert.Equal(7, plan.Scanned);
        Assert.Equal(1, plan.Protected);
        Assert.Equal(1, plan.Undated);
        Assert.Equal(["v1", "v2", "v3"], plan.Condemned.Select(c => c.Tag).Order(StringComparer.Ordinal));
        Assert.All(plan.Condemned, c => Assert.Contains("older than 30d", c.Rule));
        Assert.Equal(3, report.DeletionsSent);

        foreach (var tag in plan.Condemned)
        {
            var deletion = await harness.ResultForRunAsync(run.RunId, tag.Tag);
            Assert.Equal("nightly", deletion.Policy);
        }
        Assert.Equal(["latest", "nightly", "v4", "v5"], _sandbox.State.Tags("oci", "team/app"));
        Assert.Equal(["v1"], _sandbox.State.Tags("oci", "other/app"));
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task A_dry_run_condemns_but_sends_nothing(bool commandDryRun, bool policyDryRun)
    {
        await using var harness = Harness(new() { ["Retention:Policies:nightly:DryRun"] = policyDryRun.ToString() });
        await harness.StartAsync();
        var run = new RunRetentionPolicy { RunId = Guid.NewGuid(), Policy = "nightly", DryRun = commandDryRun };

        await harness.SendAsync(QueueNames.RunRetentionPolicy, run);
        var report = await harness.RunReportAsync(run.RunId);

        Assert.True(report.DryRun);
        Assert.Equal(3, report.TagsToDelete);
        Assert.Equal(0, report.DeletionsSent);
        // The report leaves the outbox with whatever the run sent: once it is here, nothing more comes.
        Assert.Empty(harness.Harness.Sent.Select<DeleteTag>());
        Assert.Equal(7, _sandbox.State.Tags("oci", "team/app").Count);
        Assert.DoesNotContain(_sandbox.Requests.Snapshot(), r => r.Method is "DELETE" or "PUT");
    }

    [Fact]
    public async Task A_plan_over_a_safety_limit_is_aborted_whole()
    {
        await using var harness = Harness(new() { ["Retention:Policies:nightly:MaxDeletionsPerRun"] = "2" });
        await harness.StartAsync();
        var run = new RunRetentionPolicy { RunId = Guid.NewGuid(), Policy = "nightly" };

        await harness.SendAsync(QueueNames.RunRetentionPolicy, run);
        var report = await harness.RunReportAsync(run.RunId);

        Assert.Equal(RetentionRunStatus.Aborted, report.Status);
        Assert.Contains("3", report.Reason);
        Assert.Contains("MaxDeletionsPerRun is 2", report.Reason);
        Assert.Equal(0, report.DeletionsSent);
        Assert.Equal(7, _sandbox.State.Tags("oci", "team/app").Count);
    }

    [Fact]
    public async Task A_run_that_cannot_list_reports_why_and_deletes_nothing()
    {
        _sandbox.Faults.Add(new FaultRule { Registry = "oci", PathPattern = "tags/list", Probability = 1, Status = 503 });
        await using var harness = Harness();
        await harness.StartAsync();
        var run = new RunRetentionPolicy { RunId = Guid.NewGuid(), Policy = "nightly" };

        await harness.SendAsync(QueueNames.RunRetentionPolicy, run);
        var report = await harness.RunReportAsync(run.RunId);

        Assert.Equal(RetentionRunStatus.Failed, report.Status);
        Assert.Contains("503", report.Reason);
        Assert.Equal(7, _sandbox.State.Tags("oci", "team/app").Count);
    }

    [Fact]
    public async Task A_run_of_an_unknown_policy_reports_the_configured_ones()
    {
        await using var harness = Harness();
        await harness.StartAsync();
        var run = new RunRetentionPolicy { RunId = Guid.NewGuid(), Policy = "weekly" };

        await harness.SendAsync(QueueNames.RunRetentionPolicy, run);
        var report = await harness.RunReportAsync(run.RunId);

        Assert.Equal(RetentionRunStatus.Failed, report.Status);
        Assert.Contains("nightly", report.Reason);
    }

    [Fact]
    public async Task A_spool_that_cannot_be_written_fails_the_run_and_deletes_nothing()
    {
        var directory = Directory.CreateTempSubdirectory("spool-").FullName;
        await using var harness = Harness(new() { ["Retention:SpoolDirectory"] = directory });
        await harness.StartAsync();
        Directory.Delete(directory);
        var run = new RunRetentionPolicy { RunId = Guid.NewGuid(), Policy = "nightly" };

        await harness.SendAsync(QueueNames.RunRetentionPolicy, run);
        var report = await harness.RunReportAsync(run.RunId);

        Assert.Equal(RetentionRunStatus.Failed, report.Status);
        Assert.Contains("Retention:SpoolDirectory", report.Reason);
        Assert.Contains("Nothing was deleted", report.Reason);
        Assert.Equal(0, report.DeletionsSent);
        Assert.Empty(harness.Harness.Sent.Select<DeleteTag>());
        Assert.Equal(7, _sandbox.State.Tags("oci", "team/app").Count);
    }

    [Fact]
    public void A_spool_directory_that_cannot_be_used_stops_start_up_naming_the_key()
    {
        var file = Path.GetTempFileName();
        try
        {
            var error = Assert.ThrowsAny<Exception>(() => Harness(new() { ["Retention:SpoolDirectory"] = file }));
            Assert.Contains("Retention:SpoolDirectory", error.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private string SignatureOf(string tag) => _sandbox.State.DigestOf("oci", "team/app", tag)!.Replace(':', '-') + ".sig";

    [Fact]
    public async Task A_signature_goes_with_its_image_once_the_image_is_untagged()
    {
        var signature = SignatureOf("v2");
        _sandbox.State.AddTag("oci", "team/app", new SeedTag { Name = signature, Image = "sig-of-v2", Created = Now.AddDays(-1) });
        await using var harness = Harness();
        await harness.StartAsync();
        var run = new RunRetentionPolicy { RunId = Guid.NewGuid(), Policy = "nightly" };

        await harness.SendAsync(QueueNames.RunRetentionPolicy, run);
        var report = await harness.RunReportAsync(run.RunId);
        await harness.ResultForRunAsync(run.RunId, signature);

        var v2 = Assert.Single(Assert.Single(report.Repositories).Condemned, c => c.Tag == "v2");
        Assert.Equal(signature, Assert.Single(v2.Referrers).Tag);
        Assert.Equal(4, report.DeletionsSent);
        Assert.DoesNotContain(signature, _sandbox.State.Tags("oci", "team/app"));
        Assert.DoesNotContain("v2", _sandbox.State.Tags("oci", "team/app"));
    }

    [Fact]
    public async Task A_signature_is_kept_when_its_images_delete_fails()
    {
        var signature = SignatureOf("v2");
        _sandbox.State.AddTag("oci", "team/app", new SeedTag { Name = signature, Image = "sig-of-v2", Created = Now.AddDays(-1) });
        _sandbox.Faults.Add(new FaultRule { Registry = "oci", Method = "PUT", PathPattern = "manifests/v2$", Probability = 1, Status = 400 });
        await using var harness = Harness();
        await harness.StartAsync();
        var run = new RunRetentionPolicy { RunId = Guid.NewGuid(), Policy = "nightly" };

        await harness.SendAsync(QueueNames.RunRetentionPolicy, run);
        var report = await harness.RunReportAsync(run.RunId);
        var sent = harness.Harness.Sent.Select<DeleteTag>().Select(m => m.Context.Message).First(m => m.Tag == signature);
        var refusal = Assert.IsType<DeletionFailed>(await harness.ResultAsync(sent.RequestId));

        Assert.Equal(_sandbox.State.DigestOf("oci", "team/app", "v2"), sent.OnlyIfUntagged);
        Assert.Equal(FailureKind.Forbidden, refusal.Failure);
        Assert.Contains("still tagged (v2)", refusal.Detail);
        Assert.Contains(signature, _sandbox.State.Tags("oci", "team/app"));
        Assert.Contains("v2", _sandbox.State.Tags("oci", "team/app"));
        Assert.Equal(4, report.DeletionsSent);
    }

    [Fact]
    public async Task A_signature_is_kept_when_its_image_is_tagged_again_before_it_goes()
    {
        var signature = SignatureOf("v2");
        _sandbox.State.AddTag("oci", "team/app", new SeedTag { Name = signature, Image = "sig-of-v2", Created = Now.AddDays(-1) });
        await using var harness = Harness();
        await harness.StartAsync();
        _sandbox.State.AddTag("oci", "team/app", new SeedTag { Name = "v2-again", Image = "i2", Created = Now });
        var command = new DeleteTag
        {
            RequestId = Guid.NewGuid(), Registry = "oci", Repository = "team/app", Tag = signature,
            OnlyIfUntagged = _sandbox.State.DigestOf("oci", "team/app", "v2"),
        };
        _sandbox.State.RemoveTag("oci", "team/app", "v2");

        await harness.SendAsync(QueueNames.DeleteTag, command);
        var refusal = Assert.IsType<DeletionFailed>(await harness.ResultAsync(command.RequestId));

        Assert.Contains("still tagged (v2-again)", refusal.Detail);
        Assert.Contains(signature, _sandbox.State.Tags("oci", "team/app"));
    }

    [Fact]
    public async Task Each_deletion_a_run_sends_names_the_digest_its_tag_held_when_it_was_condemned()
    {
        var held = _sandbox.State.Tags("oci", "team/app").ToDictionary(t => t, t => _sandbox.State.DigestOf("oci", "team/app", t));
        await using var harness = Harness();
        await harness.StartAsync();
        var run = new RunRetentionPolicy { RunId = Guid.NewGuid(), Policy = "nightly" };

        await harness.SendAsync(QueueNames.RunRetentionPolicy, run);
        var report = await harness.RunReportAsync(run.RunId);
        var sent = harness.Harness.Sent.Select<DeleteTag>().Select(m => m.Context.Message).ToList();

        Assert.Equal(report.DeletionsSent, sent.Count);
        Assert.NotEmpty(sent);
        Assert.All(sent, m => Assert.Equal(held[m.Tag], m.OnlyIfDigest));
    }

    [Fact]
    public async Task A_condemned_tag_pushed_again_before_its_delete_is_kept()
    {
        var condemned = _sandbox.State.DigestOf("oci", "team/app", "v2")!;
        await using var harness = Harness();
        await harness.StartAsync();
        _sandbox.State.AddTag("oci", "team/app", new SeedTag { Name = "v2", Image = "rebuilt", Created = Now });
        var command = new DeleteTag
        {
            RequestId = Guid.NewGuid(), Registry = "oci", Repository = "team/app", Tag = "v2", RunId = Guid.NewGuid(), Policy = "nightly",
            OnlyIfDigest = condemned,
        };

        await harness.SendAsync(QueueNames.DeleteTag, command);
        var refusal = Assert.IsType<DeletionFailed>(await harness.ResultAsync(command.RequestId));

        Assert.Equal(FailureKind.Forbidden, refusal.Failure);
        Assert.Contains("pushed again", refusal.Detail);
        Assert.NotEqual(condemned, _sandbox.State.DigestOf("oci", "team/app", "v2"));
    }

    [Fact]
    public async Task A_condemned_tag_that_still_holds_its_digest_goes()
    {
        await using var harness = Harness();
        await harness.StartAsync();
        var command = new DeleteTag
        {
            RequestId = Guid.NewGuid(), Registry = "oci", Repository = "team/app", Tag = "v2",
            OnlyIfDigest = _sandbox.State.DigestOf("oci", "team/app", "v2"),
        };

        await harness.SendAsync(QueueNames.DeleteTag, command);

        Assert.IsType<DeletionSucceeded>(await harness.ResultAsync(command.RequestId));
        Assert.DoesNotContain("v2", _sandbox.State.Tags("oci", "team/app"));
    }
}
