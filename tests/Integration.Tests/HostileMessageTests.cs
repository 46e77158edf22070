using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RegistryCleaner.Contracts;
using RegistryCleaner.Integration.Tests.Support;
using RegistryCleaner.Sandbox;

namespace RegistryCleaner.Integration.Tests;

/// <summary>
/// Malformed and hostile messages sent straight to the worker's queue, the way a broken or malicious producer
/// would, interleaved with valid work: each is rejected with a reason, none reaches a registry, valid work goes on.
/// </summary>
[Collection(WorkerCollection.Name)]
public sealed class HostileMessageTests(WorkerFixture fixture)
{
    private const string Registry = "sandbox-oci";
    private const string Repository = "hostile/target";
    private static readonly string Huge = new('a', 10 * 1024 * 1024);

    /// <summary>Bodies that are not a valid DeleteTag envelope at all: they end in the error or skipped queue.</summary>
    public static readonly (string Name, string ContentType, string Body)[] Undeliverable =
    [
        ("invalid JSON", "application/vnd.masstransit+json", "{not json"),
        ("empty body", "application/vnd.masstransit+json", ""),
        ("a JSON string", "application/vnd.masstransit+json", "\"DeleteTag\""),
        ("a JSON array", "application/vnd.masstransit+json", "[1,2,3]"),
        ("JSON null", "application/vnd.masstransit+json", "null"),
        ("wrong type for RequestId", "application/vnd.masstransit+json", Envelope("""{"requestId":"not-a-guid","registry":"sandbox-oci","repository":"hostile/target","tag":"keep"}""")),
        ("number for RequestId", "application/vnd.masstransit+json", Envelope("""{"requestId":12345,"registry":"sandbox-oci","repository":"hostile/target","tag":"keep"}""")),
        ("object for Tag", "application/vnd.masstransit+json", Envelope($$$"""{"requestId":"{{{Guid.NewGuid()}}}","registry":"sandbox-oci","repository":"hostile/target","tag":{"$ne":null}}""")),
        ("array for Registry", "application/vnd.masstransit+json", Envelope($$"""{"requestId":"{{Guid.NewGuid()}}","registry":["sandbox-oci"],"repository":"hostile/target","tag":"keep"}""")),
        ("an unknown message type", "application/vnd.masstransit+json", Envelope("""{"command":"rm -rf /"}""", "urn:message:Evil:WipeEverything")),
        ("plain text content type", "text/plain", "DELETE hostile/target:keep"),
        ("XML", "application/xml", "<DeleteTag><Tag>keep</Tag></DeleteTag>"),
        ("binary garbage", "application/octet-stream", "\u0000\u0001\u00ff\u00fe"),
    ];

    /// <summary>Well-formed envelopes with hostile fields: each ends in DeletionFailed with a reason, and no request.</summary>
    public static IEnumerable<(string Name, DeleteTag Command)> Hostile()
    {
        DeleteTag Tag(string registry, string repository, string tag) =>
            new() { RequestId = Guid.NewGuid(), Registry = registry, Repository = repository, Tag = tag };
        string[] tags =
        [
            "../keep", "..", "a/b", "keep%2F..", "%2Fkeep", "keep\r\nX-Injected: 1", "keep\0", "keep\t", "keep\n",
            "ｋｅｅｐ", "kееp", "keep\u200b", "keep\u202e", "kéép", ".keep", "-keep", "keep?x=1", "keep#f", "keep\\x",
            new string('k', 129), Huge, "", " ", "keep ", "*", "keep;rm -rf /", "$(reboot)", "<script>",
        ];
        foreach (var tag in tags)
            yield return ($"tag {Printable(tag)}", Tag(Registry, Repository, tag));
        string[] repositories =
        [
            "../../etc/passwd", "hostile/../target", "hostile%2Ftarget", "HOSTILE/TARGET", "hostile/target?x", "hostile/target#x",
            "hostile//target", "/hostile/target", "hostile/target/", "hostile/tаrget", "hostile/target\r\n", Huge, "",
        ];
        foreach (var repository in repositories)
            yield return ($"repository {Printable(repository)}", Tag(Registry, repository, "keep"));
        string[] registries =
        [
            "http://127.0.0.1:5000", "https://evil.example.com/v2/", "file:///etc/passwd", "sandbox-oci/../oci", "ѕandbox-oci",
            "sandbox-oci\n", "", new string('r', 1000), "127.0.0.1:5000", "SANDBOX-OCI ",
        ];
        foreach (var registry in registries)
            yield return ($"registry {Printable(registry)}", Tag(registry, Repository, "keep"));
        yield return ("empty RequestId", Tag(Registry, Repository, "keep") with { RequestId = Guid.Empty });
        yield return ("10 MB reason", Tag(Registry, Repository, "keep") with { Reason = Huge });
        yield return ("CRLF in RequestedBy", Tag(Registry, Repository, "keep") with { RequestedBy = "admin\r\nINFO forged log line" });
    }

    [Fact]
    public async Task Every_hostile_message_is_rejected_with_a_reason_and_valid_work_goes_on()
    {
        var hostile = Hostile().ToList();
        Assert.True(hostile.Count + Undeliverable.Length >= 50);
        var valid = Enumerable.Range(0, 10).Select(i => $"valid-{i}").ToList();
        foreach (var tag in valid.Append("keep"))
            fixture.Sandbox.State.AddTag(Registry, Repository, new SeedTag { Name = tag, Image = tag });
        fixture.Sandbox.Requests.Clear();

        var factory = new ConnectionFactory { Uri = new Uri(TestServices.RabbitMqUri) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queuedBefore = await CountAsync(channel, "delete-tag_error") + await CountAsync(channel, "delete-tag_skipped");

        var validCommands = new List<DeleteTag>();
        for (var i = 0; i < Math.Max(hostile.Count, Undeliverable.Length); i++)
        {
            if (i < Undeliverable.Length)
                await PublishRawAsync(channel, Undeliverable[i].ContentType, Undeliverable[i].Body);
            if (i < hostile.Count)
                await PublishRawAsync(channel, "application/vnd.masstransit+json", Envelope(JsonSerializer.Serialize(hostile[i].Command, JsonSerializerOptions.Web)));
            if (i < valid.Count)
            {
                var command = new DeleteTag { RequestId = Guid.NewGuid(), Registry = Registry, Repository = Repository, Tag = valid[i] };
                validCommands.Add(command);
                await fixture.SendAsync(QueueNames.DeleteTag, command);
            }
        }

        foreach (var command in validCommands)
            Assert.NotNull((await fixture.ResultAsync(command.RequestId)).Succeeded);
        foreach (var (name, command) in hostile.Where(h => h.Command.RequestId != Guid.Empty))
        {
            var failed = (await fixture.ResultAsync(command.RequestId)).Failed;
            Assert.True(failed is not null, $"{name} was not rejected");
            Assert.Contains(failed.Failure, new[] { FailureKind.Rejected, FailureKind.UnknownRegistry });
            Assert.False(string.IsNullOrWhiteSpace(failed.Detail), name);
            Assert.True(failed.Detail.Length < 1000 && failed.Repository.Length < 1000 && failed.Tag!.Length < 1000, $"{name} echoed an oversized field");
            Assert.DoesNotContain('\n', failed.RequestedBy ?? "");
        }
        await Eventually.TrueAsync(async () => await CountAsync(channel, "delete-tag_error") + await CountAsync(channel, "delete-tag_skipped")
            >= queuedBefore + Undeliverable.Length + hostile.Count, describe: () => "not every rejected message was kept");
        // Every undeliverable body and every rejected command is kept, not lost.
        Assert.Equal(queuedBefore + Undeliverable.Length + hostile.Count,
            await CountAsync(channel, "delete-tag_error") + await CountAsync(channel, "delete-tag_skipped"));

        // The registry saw only the valid deletions: their tags, the throw-away digests, and the config blob.
        Assert.All(fixture.Sandbox.Requests.Snapshot(), r => Assert.Matches(@"^/v2/hostile/target/(manifests/(valid-\d+|sha256:[0-9a-f]{64})|blobs/.+)$", r.RawPath));
        Assert.Equal(["keep"], fixture.Sandbox.State.Tags(Registry, Repository));
    }

    private static string Envelope(string message, string type = "urn:message:RegistryCleaner.Contracts:DeleteTag") =>
        $$$"""{"messageId":"{{{Guid.NewGuid()}}}","messageType":["{{{type}}}"],"message":{{{message}}},"headers":{}}""";

    private static async Task PublishRawAsync(IChannel channel, string contentType, string body)
    {
        var properties = new BasicProperties { ContentType = contentType, Persistent = true, MessageId = Guid.NewGuid().ToString() };
        await channel.BasicPublishAsync("", QueueNames.DeleteTag, false, properties, Encoding.UTF8.GetBytes(body));
    }

    private static async Task<uint> CountAsync(IChannel channel, string queue)
    {
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
    }

    private static string Printable(string value) =>
        value.Length > 40 ? $"({value.Length} chars)" : JsonSerializer.Serialize(value);
}
