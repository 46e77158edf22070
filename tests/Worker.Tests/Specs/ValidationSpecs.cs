using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Tests.Support;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Specs;

public sealed class ValidationSpecs
{
    public static TheoryData<string, string, string, FailureKind> BadCommands() => new()
    {
        { "nope", "team/app", "v1", FailureKind.UnknownRegistry },
        { "https://evil.example.com", "team/app", "v1", FailureKind.UnknownRegistry },
        { "", "team/app", "v1", FailureKind.Rejected },
        { "oci", "", "v1", FailureKind.Rejected },
        { "oci", "team/app", "", FailureKind.Rejected },
        { "oci", "team/app", "a/b", FailureKind.Rejected },
        { "oci", "team/app", "..", FailureKind.Rejected },
        { "oci", "../etc", "v1", FailureKind.Rejected },
        { "oci", "team/app", "v1?x=1", FailureKind.Rejected },
        { "oci", "team/app", "v1#x", FailureKind.Rejected },
        { "oci", "team%2Fapp", "v1", FailureKind.Rejected },
        { "oci", "team/app", "v1\r\nX-Injected: 1", FailureKind.Rejected },
        { "oci", "team/app", "v1\0", FailureKind.Rejected },
        { "oci", "Team/App", "v1", FailureKind.Rejected },
        { "oci", "team/аpp", "v1", FailureKind.Rejected }, // Cyrillic 'а'
        { "oci", "team/app", "v1\n", FailureKind.Rejected },
        { "oci", "team/app", new string('a', 129), FailureKind.Rejected },
        { "oci", new string('a', 256), "v1", FailureKind.Rejected },
        { "oci", "team/app", ".hidden", FailureKind.Rejected },
        { "oci", "/team/app", "v1", FailureKind.Rejected },
        { "oci", "team//app", "v1", FailureKind.Rejected },
    };

    [Theory]
    [MemberData(nameof(BadCommands))]
    public async Task A_bad_command_is_rejected_without_any_registry_call(string registryName, string repository, string tag, FailureKind kind)
    {
        var registry = new ScriptedRegistry();
        var harness = new WorkerHarness(registry);
        await using var _ = harness;
        await harness.StartAsync();
        var command = new DeleteTag { RequestId = Guid.NewGuid(), Registry = registryName, Repository = repository, Tag = tag };

        await harness.SendAsync(QueueNames.DeleteTag, command);

        var failed = Assert.IsType<DeletionFailed>(await harness.ResultAsync(command.RequestId));
        Assert.Equal(kind, failed.Failure);
        Assert.Equal(0, failed.Attempts);
        Assert.Null(failed.LastStatus);
        Assert.False(string.IsNullOrWhiteSpace(failed.Detail));
        Assert.Empty(registry.Requests);
        Assert.True(harness.KeptInErrorQueue(command.RequestId));
    }

    public static TheoryData<string> BadSubjects() => new()
    {
        "not-a-digest",
        "sha256:ABCDEF",
        "sha256:" + new string('a', 63),
        "\u001b[2J\u001b[Hsha256:" + new string('a', 64),
        "sha256:" + new string('a', 64) + "\r\nX-Injected: 1",
        new string('a', 1_000_000),
    };

    [Theory]
    [MemberData(nameof(BadSubjects))]
    public async Task A_referrer_precondition_that_is_no_digest_is_rejected_without_any_registry_call(string subject)
    {
        var registry = new ScriptedRegistry();
        var harness = new WorkerHarness(registry);
        await using var _ = harness;
        await harness.StartAsync();
        var command = new DeleteTag { RequestId = Guid.NewGuid(), Registry = "oci", Repository = "team/app", Tag = "v1.sig", OnlyIfUntagged = subject };

        await harness.SendAsync(QueueNames.DeleteTag, command);

        var failed = Assert.IsType<DeletionFailed>(await harness.ResultAsync(command.RequestId));
        Assert.Equal(FailureKind.Rejected, failed.Failure);
        Assert.Contains("OnlyIfUntagged", failed.Detail);
        Assert.True(failed.Detail.Length < 1000);
        Assert.DoesNotContain(failed.Detail, char.IsControl);
        Assert.Empty(registry.Requests);
    }

    [Theory]
    [InlineData("oci", "sha256:ABC", "must be an image digest")]
    [InlineData("swr", "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "cannot be checked on registry 'swr'")]
    public async Task A_digest_precondition_that_cannot_be_checked_is_rejected_without_any_registry_call(string registryName, string digest, string reason)
    {
        var registry = new ScriptedRegistry();
        var harness = new WorkerHarness(registry, new Dictionary<string, string?>
        {
            ["Registries:swr:Kind"] = "Swr",
            ["Registries:swr:Endpoint"] = "https://swr.example.com",
            ["Registries:swr:Token"] = "iam-token-validation",
        });
        await using var _ = harness;
        await harness.StartAsync();
        var command = new DeleteTag { RequestId = Guid.NewGuid(), Registry = registryName, Repository = "team/app", Tag = "v1", OnlyIfDigest = digest };

        await harness.SendAsync(QueueNames.DeleteTag, command);

        var failed = Assert.IsType<DeletionFailed>(await harness.ResultAsync(command.RequestId));
        Assert.Equal(FailureKind.Rejected, failed.Failure);
        Assert.Contains(reason, failed.Detail);
        Assert.Empty(registry.Requests);
    }

    [Fact]
    public async Task A_registry_named_in_another_case_is_reported_under_its_configured_name()
    {
        var registry = new ScriptedRegistry();
        var harness = new WorkerHarness(registry);
        await using var _ = harness;
        await harness.StartAsync();
        var command = new DeleteTag { RequestId = Guid.NewGuid(), Registry = "OCI", Repository = "team/app", Tag = "v1" };

        await harness.SendAsync(QueueNames.DeleteTag, command);

        var result = await harness.ResultAsync(command.RequestId);
        Assert.NotEmpty(registry.Requests);
        Assert.Equal("oci", result switch { DeletionSucceeded s => s.Registry, DeletionFailed f => f.Registry, _ => null });
    }

    [Fact]
    public async Task A_command_without_RequestId_is_rejected()
    {
        var registry = new ScriptedRegistry();
        var harness = new WorkerHarness(registry);
        await using var _ = harness;
        await harness.StartAsync();

        await harness.SendAsync(QueueNames.DeleteTag, new DeleteTag { Registry = "oci", Repository = "team/app", Tag = "v1" });

        var failed = Assert.IsType<DeletionFailed>(await harness.ResultAsync(Guid.Empty));
        Assert.Equal(FailureKind.Rejected, failed.Failure);
        Assert.Contains("RequestId", failed.Detail);
        Assert.Empty(registry.Requests);
    }

    [Fact]
    public async Task Oversized_free_text_is_rejected_and_not_echoed_whole()
    {
        var registry = new ScriptedRegistry();
        var harness = new WorkerHarness(registry);
        await using var _ = harness;
        await harness.StartAsync();
        var command = new DeleteTag { RequestId = Guid.NewGuid(), Registry = "oci", Repository = "team/app", Tag = "v1", RequestedBy = new string('x', 1_000_000) };

        await harness.SendAsync(QueueNames.DeleteTag, command);

        var failed = Assert.IsType<DeletionFailed>(await harness.ResultAsync(command.RequestId));
        Assert.Equal(FailureKind.Rejected, failed.Failure);
        Assert.Contains("RequestedBy", failed.Detail);
        Assert.True(failed.RequestedBy!.Length <= 300);
        Assert.Empty(registry.Requests);
    }
}
