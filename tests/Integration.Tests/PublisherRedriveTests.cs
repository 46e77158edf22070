using System.Text;
using RabbitMQ.Client;
using RegistryCleaner.Contracts;
using RegistryCleaner.Integration.Tests.Support;
using RegistryCleaner.Sandbox;

namespace RegistryCleaner.Integration.Tests;

[Collection(PublisherRedriveCollection.Name)]
public sealed class PublisherRedriveTests(PublisherRedriveFixture fixture)
{
    private const string Flaky = PublisherRedriveFixture.Registry;
    private const string Repository = PublisherRedriveFixture.Repository;

    [Fact]
    public async Task A_command_that_failed_while_the_registry_was_down_succeeds_when_redriven_after_it_is_back()
    {
        var requestId = Guid.NewGuid();
        var file = await BatchCli.WriteFileAsync(".jsonl", [$$"""{"registry":"{{Flaky}}","repository":"{{Repository}}","tag":"v1","requestId":"{{requestId}}"}"""]);
        var down = new FaultRule { Registry = Flaky, Probability = 1, Status = 0 };
        fixture.Sandbox.Faults.Add(down);
        try
        {
            var failed = await BatchCli.RunAsync("delete-tags", "--file", file, "--wait", "--json", "--broker", fixture.Broker);

            Assert.True(failed.Exit == 1, failed.ToString());
            var failure = Assert.Single(failed.Events("DeletionFailed"));
            Assert.Equal(nameof(FailureKind.RetriesExhausted), failure.GetProperty("failure").GetString());
            Assert.True(failure.GetProperty("keptForRedrive").GetBoolean());
        }
        finally
        {
            fixture.Sandbox.Faults.Clear();
        }

        var listed = await BatchCli.RunAsync("failed", "list", "--request", requestId.ToString(), "--json", "--broker", fixture.Broker);
        Assert.True(listed.Exit == 0, listed.ToString());
        var kept = Assert.Single(listed.Events("FailedCommand"));
        Assert.Equal("delete-tag_error", kept.GetProperty("queue").GetString());
        Assert.Equal(nameof(FailureKind.RetriesExhausted), kept.GetProperty("failure").GetString());
        Assert.Equal("v1", kept.GetProperty("tag").GetString());
        Assert.Equal(["v1", "v1-alias", "v2"], fixture.Sandbox.State.Tags(Flaky, Repository));

        var redriven = await BatchCli.RunAsync("failed", "redrive", "--request", requestId.ToString(), "--wait", "--json", "--broker", fixture.Broker);

        Assert.True(redriven.Exit == 0, redriven.ToString());
        Assert.Equal(requestId, Assert.Single(redriven.Events("Redriven")).GetProperty("requestId").GetGuid());
        var succeeded = Assert.Single(redriven.Events("DeletionSucceeded"));
        Assert.Equal(nameof(DeletionOutcome.Deleted), succeeded.GetProperty("outcome").GetString());
        Assert.Equal(["v1-alias", "v2"], fixture.Sandbox.State.Tags(Flaky, Repository));
        var after = await BatchCli.RunAsync("failed", "list", "--request", requestId.ToString(), "--json", "--broker", fixture.Broker);
        Assert.Empty(after.JsonLines());
    }

    [Fact]
    public async Task Redrive_all_moves_every_readable_command_and_leaves_unreadable_messages_where_they_are()
    {
        var unknown = Guid.NewGuid();
        var file = await BatchCli.WriteFileAsync(".csv", ["registry,repository,tag,requestId", $"nowhere,{Repository},v2,{unknown}"]);
        var reported = await BatchCli.RunAsync("delete-tags", "--file", file, "--wait", "--broker", fixture.Broker);
        Assert.True(reported.Exit == 1, reported.ToString());
        Assert.Contains("UnknownRegistry", reported.Output);
        Assert.Contains("Registry 'nowhere' is not configured", reported.Output);
        var garbage = await PublishGarbageAsync();

        var dryRun = await BatchCli.RunAsync("failed", "redrive", "--all", "--dry-run", "--json", "--broker", fixture.Broker);
        Assert.True(dryRun.Exit == 0, dryRun.ToString());
        Assert.Contains(dryRun.Events("WouldRedrive"), e => IsRequest(e, unknown));
        Assert.Contains("not readable commands", dryRun.Error);

        var all = await BatchCli.RunAsync("failed", "redrive", "--all", "--wait", "--json", "--broker", fixture.Broker);

        Assert.True(all.Exit == 1, all.ToString());
        Assert.Contains(all.Events("Redriven"), e => IsRequest(e, unknown));
        var again = Assert.Single(all.Events("DeletionFailed"), e => IsRequest(e, unknown));
        Assert.Equal(nameof(FailureKind.UnknownRegistry), again.GetProperty("failure").GetString());
        var listed = await EventuallyAsync(async () =>
        {
            var run = await BatchCli.RunAsync("failed", "list", "--json", "--broker", fixture.Broker);
            var events = run.Events("FailedCommand").ToList();
            return events.Any(e => IsRequest(e, unknown)) ? events : null;
        });
        Assert.Equal(nameof(FailureKind.UnknownRegistry), Assert.Single(listed, e => IsRequest(e, unknown)).GetProperty("failure").GetString());
        Assert.Contains(listed, e => e.TryGetProperty("messageId", out var id) && id.GetString() == garbage && !e.GetProperty("readable").GetBoolean());
    }

    [Fact]
    public async Task An_unreachable_broker_is_named_without_its_password_by_the_failed_commands()
    {
        var run = await BatchCli.RunAsync("failed", "list", "--broker", "amqp://someone:s3cret-pw@127.0.0.1:1/");

        Assert.Equal(2, run.Exit);
        Assert.Contains("amqp://someone@127.0.0.1:1", run.Error);
        Assert.DoesNotContain("s3cret-pw", run.Error + run.Output);
    }

    private static bool IsRequest(System.Text.Json.JsonElement line, Guid requestId) =>
        line.TryGetProperty("requestId", out var id) && id.GetGuid() == requestId;

    /// <summary>A body no consumer can read: MassTransit moves it to delete-tag_error. Returns its message id.</summary>
    private async Task<string> PublishGarbageAsync()
    {
        var factory = new ConnectionFactory { Uri = new Uri(fixture.Broker) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var id = Guid.NewGuid().ToString();
        var before = (await channel.QueueDeclarePassiveAsync(QueueNames.DeleteTag + "_error")).MessageCount;
        var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true, MessageId = id };
        await channel.BasicPublishAsync("", QueueNames.DeleteTag, false, properties, Encoding.UTF8.GetBytes("{not json"));
        await EventuallyAsync(async () => (await channel.QueueDeclarePassiveAsync(QueueNames.DeleteTag + "_error")).MessageCount > before ? "" : null);
        return id;
    }

    private static Task<T> EventuallyAsync<T>(Func<Task<T?>> probe) where T : class => Eventually.FoundAsync(probe);
}
