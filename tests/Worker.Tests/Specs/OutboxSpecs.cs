using System.Net;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Tests.Support;
using Xunit;
using static RegistryCleaner.Worker.Tests.Support.ScriptedRegistry;

namespace RegistryCleaner.Worker.Tests.Specs;

public sealed class OutboxSpecs
{
    [Fact]
    public async Task Failed_attempts_leak_no_event_and_the_outcome_is_published_once()
    {
        var registry = new ScriptedRegistry().On(HttpMethod.Delete, "/v2/team/app/manifests/v2",
            Status(HttpStatusCode.ServiceUnavailable), Status(HttpStatusCode.BadGateway), Status(HttpStatusCode.Accepted));
        var harness = new WorkerHarness(registry);
        await using var _ = harness;
        await harness.StartAsync();
        var command = new DeleteTag { RequestId = Guid.NewGuid(), Registry = "oci", Repository = "team/app", Tag = "v2" };

        await harness.SendAsync(QueueNames.DeleteTag, command);
        await harness.ResultAsync(command.RequestId);

        Assert.Single(harness.Results(command.RequestId));
        Assert.Empty(harness.Harness.Published.Select<DeletionFailed>());
        Assert.False(harness.KeptInErrorQueue(command.RequestId));
    }

    [Fact]
    public async Task The_same_command_twice_yields_Deleted_then_AlreadyAbsent()
    {
        var registry = new ScriptedRegistry().On(HttpMethod.Delete, "/v2/team/app/manifests/v2",
            Status(HttpStatusCode.Accepted), OciError(HttpStatusCode.NotFound, "MANIFEST_UNKNOWN"));
        var harness = new WorkerHarness(registry);
        await using var _ = harness;
        await harness.StartAsync();

        var first = new DeleteTag { RequestId = Guid.NewGuid(), Registry = "oci", Repository = "team/app", Tag = "v2" };
        await harness.SendAsync(QueueNames.DeleteTag, first);
        Assert.Equal(DeletionOutcome.Deleted, Assert.IsType<DeletionSucceeded>(await harness.ResultAsync(first.RequestId)).Outcome);

        var second = first with { RequestId = Guid.NewGuid() };
        await harness.SendAsync(QueueNames.DeleteTag, second);
        Assert.Equal(DeletionOutcome.AlreadyAbsent, Assert.IsType<DeletionSucceeded>(await harness.ResultAsync(second.RequestId)).Outcome);
    }
}
