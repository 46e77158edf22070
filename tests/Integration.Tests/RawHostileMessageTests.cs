using System.Text.Json;
using RabbitMQ.Client;
using RegistryCleaner.Contracts;
using RegistryCleaner.Integration.Tests.Support;
using RegistryCleaner.Sandbox;

namespace RegistryCleaner.Integration.Tests;

/// <summary>
/// Malformed and hostile plain JSON bodies, sent the way any AMQP client could send them, interleaved with valid work:
/// each ends in the error queue or in DeletionFailed with a reason, none reaches a registry, valid work goes on.
/// </summary>
[Collection(WorkerCollection.Name)]
public sealed class RawHostileMessageTests(WorkerFixture fixture)
{
    private const string Registry = "sandbox-oci";
    private const string Repository = "rawhostile/target";

    /// <summary>Bodies that cannot be read as the queue's command at all: they end in the error queue, unchanged.</summary>
    public static readonly (string Name, string Body)[] Unreadable =
    [
        ("invalid JSON", "{not json"),
        ("truncated JSON", """{"requestId":"""),
        ("number for RequestId", """{"requestId":12345,"registry":"sandbox-oci","repository":"rawhostile/target","tag":"keep"}"""),
        ("text that is no UUID for RequestId", """{"requestId":"not-a-guid","registry":"sandbox-oci","repository":"rawhostile/target","tag":"keep"}"""),
        ("object for Tag", """{"registry":"sandbox-oci","repository":"rawhostile/target","tag":{"$ne":null}}"""),
        ("array for Registry", """{"registry":["sandbox-oci"],"repository":"rawhostile/target","tag":"keep"}"""),
        ("number for RunId", """{"registry":"sandbox-oci","repository":"rawhostile/target","tag":"keep","runId":7}"""),
        ("a JSON string", "\"DeleteTag\""),
        ("a JSON array", "[1,2,3]"),
        ("a JSON number", "42"),
        ("JSON null", "null"),
        ("nesting 1000 deep", new string('[', 1000) + new string(']', 1000)),
        ("control bytes", "\u0000\u0001\u00ff"),
    ];

    /// <summary>Readable bodies that are not a valid command for the queue: each ends in DeletionFailed with a reason.</summary>
    public static IEnumerable<(string Name, string Queue, string Body)> Refused()
    {
        string Tag(string fields) => $$"""{"registry":"sandbox-oci","repository":"rawhostile/target"{{fields}}}""";
        yield return ("empty body", QueueNames.DeleteTag, "");
        yield return ("empty object", QueueNames.DeleteTag, "{}");
        yield return ("missing tag", QueueNames.DeleteTag, Tag(""));
        yield return ("null tag", QueueNames.DeleteTag, Tag(""","tag":null"""));
        yield return ("missing registry", QueueNames.DeleteTag, """{"repository":"rawhostile/target","tag":"keep"}""");
        yield return ("misspelt field", QueueNames.DeleteTag, Tag(""","tagg":"keep" """));
        yield return ("100 KB body", QueueNames.DeleteTag, Tag($$""","tag":"keep","reason":"{{new string('r', 100_000)}}" """));
        yield return ("10 MB body", QueueNames.DeleteTag, Tag($$""","tag":"keep","reason":"{{new string('r', 10 * 1024 * 1024)}}" """));
        yield return ("DeleteRepository body on delete-tag", QueueNames.DeleteTag, Tag(""","deleteTagsFirst":true"""));
        yield return ("RunRetentionPolicy body on delete-tag", QueueNames.DeleteTag, """{"policy":"it-retention","dryRun":false}""");
        yield return ("DeleteTag body on delete-repository", QueueNames.DeleteRepository, Tag(""","tag":"keep" """));
        yield return ("1000 unknown fields", QueueNames.DeleteTag, "{" + string.Join(",", Enumerable.Range(0, 1000).Select(i => $"\"f{i}\":{i}")) + "}");
        // An empty RequestId is no fault in plain JSON: the message_id stands in for it.
        foreach (var (name, command) in HostileMessageTests.Hostile().Where(h => h.Command.RequestId != Guid.Empty))
            yield return ($"hostile {name}", QueueNames.DeleteTag, JsonSerializer.Serialize(command with { RequestId = Guid.Empty }, JsonSerializerOptions.Web));
    }

    [Fact]
    public async Task Every_hostile_plain_json_body_is_refused_with_a_reason_and_valid_work_goes_on()
    {
        var refused = Refused().Select(r => (r.Name, r.Queue, r.Body, Id: Guid.NewGuid())).ToList();
        var valid = Enumerable.Range(0, 10).Select(i => $"valid-{i}").ToList();
        foreach (var tag in valid.Append("keep"))
            fixture.Sandbox.State.AddTag(Registry, Repository, new SeedTag { Name = tag, Image = tag });
        fixture.Sandbox.Requests.Clear();
        await using var events = await PlainEventQueue.BindAsync(TestServices.RabbitMqUri, "deletion-succeeded.#", "deletion-failed.#");
        await using var client = await PlainJsonPublisher.ConnectAsync(TestServices.RabbitMqUri);
        var errorsBefore = await KeptAsync(QueueNames.DeleteTag) + await KeptAsync(QueueNames.DeleteRepository);

        var validIds = new List<Guid>();
        for (var i = 0; i < Math.Max(refused.Count, Unreadable.Length); i++)
        {
            if (i < Unreadable.Length)
                await client.PublishAsync(QueueNames.DeleteTag, Unreadable[i].Body, messageId: Guid.NewGuid().ToString());
            if (i < refused.Count)
                await client.PublishAsync(refused[i].Queue, refused[i].Body, messageId: refused[i].Id.ToString());
            if (i < valid.Count)
            {
                var id = Guid.NewGuid();
                validIds.Add(id);
                await client.PublishAsync(QueueNames.DeleteTag, $$"""{"requestId":"{{id}}","registry":"{{Registry}}","repository":"{{Repository}}","tag":"{{valid[i]}}"}""");
            }
        }

        foreach (var id in validIds)
            Assert.Equal(DeletionOutcome.Deleted.ToString(), (await events.ForAsync(id)).Json.GetProperty("outcome").GetString());
        await events.WaitAsync(_ => refused.All(r => events.Received.Any(d => d.Id == r.Id)),
            "result for every refused body", TimeSpan.FromSeconds(60)).ContinueWith(_ => { }); // the assertion below names what is missing
        Assert.Empty(refused.Where(r => !events.Received.Any(d => d.Id == r.Id)).Select(r => r.Name));
        foreach (var (name, _, _, id) in refused)
        {
            var failed = events.Received.First(d => d.Id == id);
            Assert.True(failed.Type == nameof(DeletionFailed), $"{name} was not refused: {failed.Body[..Math.Min(300, failed.Body.Length)]}");
            var json = failed.Json;
            Assert.Contains(json.GetProperty("failure").GetString(), new[] { nameof(FailureKind.Rejected), nameof(FailureKind.UnknownRegistry) });
            var detail = json.GetProperty("detail").GetString()!;
            Assert.False(string.IsNullOrWhiteSpace(detail), name);
            Assert.True(failed.Body.Length < 4000, $"{name} echoed an oversized field: {failed.Body.Length} characters");
            Assert.Equal(0, json.GetProperty("attempts").GetInt32());
        }

        // Every unreadable body and every refused command is kept for inspection or re-drive, none is lost.
        var expected = errorsBefore + Unreadable.Length + refused.Count;
        await Eventually.TrueAsync(async () => await KeptAsync(QueueNames.DeleteTag) + await KeptAsync(QueueNames.DeleteRepository) >= expected,
            describe: () => $"fewer than {expected} messages kept");
        Assert.Equal(expected, await KeptAsync(QueueNames.DeleteTag) + await KeptAsync(QueueNames.DeleteRepository));

        Assert.All(fixture.Sandbox.Requests.Snapshot(), r => Assert.Matches(@"^/v2/rawhostile/target/(manifests/(valid-\d+|sha256:[0-9a-f]{64})|blobs/.+)$", r.RawPath));
        Assert.Equal(["keep"], fixture.Sandbox.State.Tags(Registry, Repository));
    }

    [Fact]
    public async Task A_refusal_names_the_fields_that_do_not_belong_and_an_invalid_registry_routes_under_invalid()
    {
        await using var events = await PlainEventQueue.BindAsync(TestServices.RabbitMqUri, "deletion-failed.*");
        await using var client = await PlainJsonPublisher.ConnectAsync(TestServices.RabbitMqUri);
        var foreign = Guid.NewGuid();
        var url = Guid.NewGuid();

        await client.PublishAsync(QueueNames.DeleteRepository, $$"""{"requestId":"{{foreign}}","registry":"{{Registry}}","repository":"{{Repository}}","tag":"keep"}""");
        await client.PublishAsync(QueueNames.DeleteTag, $$"""{"requestId":"{{url}}","registry":"http://127.0.0.1:5000","repository":"a/b","tag":"keep"}""");

        var refusal = await events.ForAsync(foreign);
        Assert.Equal($"deletion-failed.{Registry}", refusal.RoutingKey);
        Assert.Contains("'tag'", refusal.Json.GetProperty("detail").GetString());
        Assert.Contains("another queue", refusal.Json.GetProperty("detail").GetString());
        var invalid = await events.ForAsync(url);
        Assert.Equal($"deletion-failed.{EventsExchange.InvalidRegistry}", invalid.RoutingKey);
        Assert.Equal(nameof(FailureKind.UnknownRegistry), invalid.Json.GetProperty("failure").GetString());
        Assert.Contains("keep", fixture.Sandbox.State.Tags(Registry, Repository));
    }

    private static async Task<uint> KeptAsync(string queue)
    {
        var factory = new ConnectionFactory { Uri = new Uri(TestServices.RabbitMqUri) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var kept = 0u;
        foreach (var name in new[] { queue + "_error", queue + "_skipped" })
        {
            await channel.QueueDeclareAsync(name, durable: true, exclusive: false, autoDelete: false);
            kept += (await channel.QueueDeclarePassiveAsync(name)).MessageCount;
        }
        return kept;
    }
}
