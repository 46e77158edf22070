using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Tests.Support;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Authorization;

/// <summary>Scopes, protected tags and allow-lists refuse a DeleteTag before any call to the registry, naming the rule.</summary>
public sealed class CommandRuleSpecs
{
    private static readonly Dictionary<string, string?> Rules = new()
    {
        ["Protection:Tags:0"] = "^latest$",
        ["Protection:Tags:1"] = @"^v\d+\.\d+\.\d+$",
        ["Registries:oci:AllowedRepositories:0"] = "team-a/.*",
        ["Registries:oci:AllowedRepositories:1"] = "shared/base",
        ["Registries:oci:ProtectedTags:0"] = "prod-.*",
    };

    private static async Task<(DeletionFailed? Failed, ScriptedRegistry Registry, WorkerHarness Harness)> SendAsync(
        string repository, string tag, Dictionary<string, string?>? extra = null, string? requestedBy = null)
    {
        var registry = new ScriptedRegistry();
        var settings = new Dictionary<string, string?>(Rules);
        foreach (var (key, value) in extra ?? [])
            settings[key] = value;
        var harness = new WorkerHarness(registry, settings);
        await harness.StartAsync();
        var command = new DeleteTag { RequestId = Guid.NewGuid(), Registry = "oci", Repository = repository, Tag = tag, RequestedBy = requestedBy };
        await harness.SendAsync(QueueNames.DeleteTag, command);
        var result = await harness.ResultAsync(command.RequestId);
        if (result is DeletionFailed { Failure: FailureKind.Forbidden } failed)
        {
            Assert.True(harness.KeptInErrorQueue(command.RequestId));
            return (failed, registry, harness);
        }
        return (null, registry, harness);
    }

    [Theory]
    [InlineData("team-b/app")]
    [InlineData("team-a")] // anchored: "team-a/.*" needs the slash
    [InlineData("shared/base-old")] // anchored: a literal pattern names one repository
    [InlineData("x/team-a/app")]
    public async Task A_repository_outside_the_scope_is_refused_without_any_registry_call(string repository)
    {
        var (failed, registry, harness) = await SendAsync(repository, "v1");
        await using var _ = harness;

        Assert.NotNull(failed);
        Assert.Contains("Registries:oci:AllowedRepositories", failed.Detail);
        Assert.Contains(repository, failed.Detail);
        Assert.Equal(0, failed.Attempts);
        Assert.Empty(registry.Requests);
    }

    [Theory]
    [InlineData("latest", "Protection:Tags:0")]
    [InlineData("v1.2.3", "Protection:Tags:1")]
    [InlineData("prod-eu", "Registries:oci:ProtectedTags:0")]
    public async Task A_protected_tag_is_refused_without_any_registry_call(string tag, string rule)
    {
        var (failed, registry, harness) = await SendAsync("team-a/app", tag);
        await using var _ = harness;

        Assert.NotNull(failed);
        Assert.Contains(rule, failed.Detail);
        Assert.Contains($"'{tag}'", failed.Detail);
        Assert.Empty(registry.Requests);
    }

    [Theory]
    [InlineData("team-a/app", "v1.2.3-rc1")] // anchored: not a release tag
    [InlineData("team-a/app", "latest-1")]
    [InlineData("shared/base", "preprod-eu")]
    public async Task A_command_within_every_rule_goes_to_the_registry(string repository, string tag)
    {
        var (failed, registry, harness) = await SendAsync(repository, tag);
        await using var _ = harness;

        Assert.Null(failed);
        Assert.NotEmpty(registry.Requests);
    }

    [Fact]
    public async Task Where_a_registry_has_an_allow_list_a_command_without_a_verified_publisher_is_refused_whatever_RequestedBy_says()
    {
        var (failed, registry, harness) = await SendAsync("team-a/app", "v1",
            new() { ["Registries:oci:AllowedPublishers:0"] = "ci-deployer" }, requestedBy: "ci-deployer");
        await using var _ = harness;

        Assert.NotNull(failed);
        Assert.Contains("Registries:oci:AllowedPublishers", failed.Detail);
        Assert.Contains("no verified publisher", failed.Detail);
        Assert.Null(failed.VerifiedPublisher);
        Assert.Equal("ci-deployer", failed.RequestedBy);
        Assert.Empty(registry.Requests);
    }

    [Fact]
    public async Task An_allow_list_of_another_registry_does_not_bind_this_one()
    {
        var (failed, registry, harness) = await SendAsync("team-a/app", "v1", new()
        {
            ["Registries:locked:Kind"] = "Oci",
            ["Registries:locked:Endpoint"] = "http://127.0.0.1:5998",
            ["Registries:locked:AllowedPublishers:0"] = "ci-deployer",
        });
        await using var _ = harness;

        Assert.Null(failed);
        Assert.NotEmpty(registry.Requests);
    }
}
