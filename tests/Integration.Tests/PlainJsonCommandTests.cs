using System.Text.Json;
using RegistryCleaner.Contracts;
using RegistryCleaner.Integration.Tests.Support;
using RegistryCleaner.Sandbox;

namespace RegistryCleaner.Integration.Tests;

/// <summary>
/// Commands sent as plain JSON by a client that knows nothing of MassTransit, and their results observed the same way, on
/// the events exchange: the worker on real RabbitMQ deleting from the real docker-registry and the sandbox.
/// </summary>
[Collection(WorkerCollection.Name)]
public sealed class PlainJsonCommandTests(WorkerFixture fixture)
{
    private const string Sandbox = "sandbox-oci";

    [Fact]
    public async Task A_plain_json_DeleteTag_deletes_exactly_that_tag_and_its_result_arrives_as_plain_json()
    {
        var repository = TestServices.UniqueRepository("plain");
        var digest = await fixture.Registry.PushAsync(repository, "one", "v1", "v1-alias");
        await using var events = await PlainEventQueue.BindAsync(TestServices.RabbitMqUri, "deletion-succeeded.oci");
        await using var client = await PlainJsonPublisher.ConnectAsync(TestServices.RabbitMqUri);
        var requestId = Guid.NewGuid();

        await client.PublishAsync(QueueNames.DeleteTag, $$"""{"requestId":"{{requestId}}","registry":"oci","repository":"{{repository}}","tag":"v1","reason":"plain json test"}""");
        var result = await events.ForAsync(requestId);

        Assert.Equal("deletion-succeeded.oci", result.RoutingKey);
        Assert.Equal("DeletionSucceeded", result.Type);
        Assert.Equal("application/json", result.ContentType);
        Assert.True(result.Persistent);
        Assert.Equal(fixture.Broker.Username, result.UserId); // the worker's own broker user, verified by RabbitMQ
        var json = result.Json;
        Assert.Equal("oci", json.GetProperty("registry").GetString());
        Assert.Equal(repository, json.GetProperty("repository").GetString());
        Assert.Equal("v1", json.GetProperty("tag").GetString());
        Assert.Equal("Deleted", json.GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Number, json.GetProperty("attempts").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("verifiedPublisher").ValueKind);
        Assert.Equal(["v1-alias"], await fixture.Registry.TagsAsync(repository));
        Assert.Equal(digest, await fixture.Registry.ResolveAsync(repository, "v1-alias"));
    }

    [Fact]
    public async Task The_RequestId_comes_from_the_body_else_from_the_message_id_else_from_the_body_itself()
    {
        await using var events = await PlainEventQueue.BindAsync(TestServices.RabbitMqUri, $"*.{Sandbox}");
        await using var client = await PlainJsonPublisher.ConnectAsync(TestServices.RabbitMqUri);
        string Body(string tag) => $$"""{"registry":"{{Sandbox}}","repository":"plain/ids","tag":"{{tag}}"}""";

        var messageId = Guid.NewGuid();
        await client.PublishAsync(QueueNames.DeleteTag, Body("by-uuid"), messageId: messageId.ToString());
        Assert.Equal("by-uuid", (await events.ForAsync(messageId)).Json.GetProperty("tag").GetString());

        var jobId = $"ci-job-{Guid.NewGuid():N}";
        await client.PublishAsync(QueueNames.DeleteTag, Body("by-text-id"), messageId: jobId);
        await client.PublishAsync(QueueNames.DeleteTag, Body("by-text-id"), messageId: jobId);
        var byText = await events.WaitAsync(d => d.Json.GetProperty("tag").GetString() == "by-text-id", "the message_id result");
        await events.WaitAsync(d => d.Id == byText.Id && d != byText, "the same message_id's second result");

        var anonymous = Body($"anonymous-{Guid.NewGuid():N}");
        await client.PublishAsync(QueueNames.DeleteTag, anonymous, contentType: null);
        await client.PublishAsync(QueueNames.DeleteTag, anonymous, contentType: null);
        var first = await events.WaitAsync(d => d.Body.Contains("anonymous-"), "the result of a body without an id or a content type");
        Assert.NotEqual(Guid.Empty, first.Id);
        Assert.Equal("AlreadyAbsent", first.Json.GetProperty("outcome").GetString());
        await events.WaitAsync(d => d.Id == first.Id && d != first, "the same body's second result, under the same RequestId");
    }

    [Fact]
    public async Task Plain_json_DeleteRepository_and_RunRetentionPolicy_are_carried_out()
    {
        var repository = $"plain/repo-{Guid.NewGuid():N}";
        fixture.Sandbox.State.AddTag(Sandbox, repository, new SeedTag { Name = "a", Image = "a" });
        fixture.Sandbox.State.AddTag(Sandbox, repository, new SeedTag { Name = "b", Image = "b" });
        await using var events = await PlainEventQueue.BindAsync(TestServices.RabbitMqUri, $"deletion-succeeded.{Sandbox}", "retention-run-completed.oci");
        await using var client = await PlainJsonPublisher.ConnectAsync(TestServices.RabbitMqUri);

        var requestId = Guid.NewGuid();
        await client.PublishAsync(QueueNames.DeleteRepository, $$"""{"requestId":"{{requestId}}","registry":"{{Sandbox}}","repository":"{{repository}}","deleteTagsFirst":true}""");
        var deleted = await events.ForAsync(requestId);
        Assert.Equal(JsonValueKind.Null, deleted.Json.GetProperty("tag").ValueKind);
        Assert.Equal(2, deleted.Json.GetProperty("tagsDeleted").GetInt32());
        Assert.Empty(fixture.Sandbox.State.Tags(Sandbox, repository));

        var runId = Guid.NewGuid();
        await client.PublishAsync(QueueNames.RunRetentionPolicy, $$"""{"runId":"{{runId}}","policy":"it-retention","dryRun":true}""");
        var run = await events.ForAsync(runId);
        Assert.Equal("retention-run-completed.oci", run.RoutingKey);
        Assert.Equal("RetentionRunCompleted", run.Type);
        Assert.Equal("Completed", run.Json.GetProperty("status").GetString());
        Assert.True(run.Json.GetProperty("dryRun").GetBoolean());
    }

    [Fact]
    public async Task Envelope_commands_keep_working_and_their_results_reach_the_events_exchange_too()
    {
        fixture.Sandbox.State.AddTag(Sandbox, "plain/envelope", new SeedTag { Name = "v1", Image = "v1" });
        await using var events = await PlainEventQueue.BindAsync(TestServices.RabbitMqUri, "deletion-succeeded.#");
        var command = new DeleteTag { RequestId = Guid.NewGuid(), Registry = Sandbox, Repository = "plain/envelope", Tag = "v1" };

        await fixture.SendAsync(QueueNames.DeleteTag, command);

        Assert.Equal("Deleted", (await events.ForAsync(command.RequestId)).Json.GetProperty("outcome").GetString());
        Assert.Equal(DeletionOutcome.Deleted, (await fixture.ResultAsync(command.RequestId)).Succeeded!.Outcome);
    }

    [Fact]
    public async Task A_plain_json_command_carries_the_broker_verified_user_id()
    {
        fixture.Sandbox.State.AddTag(Sandbox, "plain/identity", new SeedTag { Name = "v1", Image = "v1" });
        await using var events = await PlainEventQueue.BindAsync(TestServices.RabbitMqUri, $"*.{Sandbox}");
        await using var client = await PlainJsonPublisher.ConnectAsync(TestServices.RabbitMqUri);
        var requestId = Guid.NewGuid();

        await client.PublishAsync(QueueNames.DeleteTag, $$"""{"requestId":"{{requestId}}","registry":"{{Sandbox}}","repository":"plain/identity","tag":"v1","requestedBy":"someone-else"}""",
            userId: fixture.Broker.Username);

        var result = (await events.ForAsync(requestId)).Json;
        Assert.Equal(fixture.Broker.Username, result.GetProperty("verifiedPublisher").GetString());
        Assert.Equal("someone-else", result.GetProperty("requestedBy").GetString());
    }
}
