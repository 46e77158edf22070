using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RegistryCleaner.Common.Messaging;
using RegistryCleaner.Contracts;
using RegistryCleaner.Integration.Tests.Support;
namespace RegistryCleaner.Integration.Tests;

/// <summary>
/// One hostile command among 200 valid ones, on a virtual host of the test's own: the hostile one ends in
/// <c>delete-tag_error</c> with its body unchanged and bounded headers, every valid one succeeds, nothing stays in
/// <c>delete-tag</c>, and the broker never closes the worker's connection.
/// </summary>
public sealed class HostileHeaderTests
{
    private const int Valid = 200;

    public enum Shape
    {
        EnvelopeHeaderUnknownName,
        EnvelopeHeaderKnownName,
        TransportHeaderTableOfManyHeaders,
        MegabyteBodyField,
    }

    [Theory]
    [InlineData(Shape.EnvelopeHeaderUnknownName)]
    [InlineData(Shape.EnvelopeHeaderKnownName)]
    [InlineData(Shape.TransportHeaderTableOfManyHeaders)]
    [InlineData(Shape.MegabyteBodyField)]
    public async Task A_hostile_command_among_200_valid_ones_ends_in_the_error_queue_and_the_connection_holds(Shape shape)
    {
        var host = await BatchVirtualHost.CreateAsync("hostile");
        try
        {
            await using var sandbox = await ScaleOutSupport.SandboxAsync(repositories: 4, tagsPerRepository: Valid / 4);
            await using var observer = await ScaleOutObserver.StartAsync(host.RabbitMqUri);
            await using var events = await FailedEvents.BindAsync(host.RabbitMqUri);
            await using var worker = await InProcessWorker.StartAsync(host.RabbitMqUri, sandbox);
            var connections = await host.ConnectionsAsync();

            var valid = ScaleOutSupport.DeleteEveryTag(sandbox);
            var hostile = new DeleteTag { RequestId = Guid.NewGuid(), Registry = ScaleOutSupport.Registry, Repository = "scale/app-000", Tag = "../keep" };
            var (envelopeHeaders, transportHeaders) = HeadersOf(shape);
            if (shape == Shape.MegabyteBodyField)
                hostile = hostile with { Tag = new string('t', 1024 * 1024) };
            var body = Encoding.UTF8.GetBytes(Envelope(hostile, envelopeHeaders));

            await observer.SendAsync(QueueNames.DeleteTag, valid[..(Valid / 2)]);
            await PublishRawAsync(host.RabbitMqUri, body, transportHeaders);
            await observer.SendAsync(QueueNames.DeleteTag, valid[(Valid / 2)..]);

            var all = valid.Select(v => v.RequestId).Append(hostile.RequestId).ToList();
            await ScaleOutSupport.WaitUntilAsync(() => all.All(id => observer.ResultsOf(id).Count > 0), TimeSpan.FromSeconds(120),
                () => $"{all.Count(id => observer.ResultsOf(id).Count > 0)} of {all.Count} results");

            Assert.Equal(Valid, observer.Succeeded(valid.Select(v => v.RequestId)));
            Assert.Empty(ScaleOutSupport.DeleteEveryTag(sandbox));
            Assert.False(observer.ResultsOf(hostile.RequestId)[0].Succeeded);

            var kept = Assert.Single(await ErrorQueue.TakeAsync(host.RabbitMqUri, QueueNames.DeleteTag + "_error"));
            Assert.Equal(body, kept.Body);
            Assert.Equal("Rejected", kept.Text("RC-Failure-Kind"));
            Assert.True(kept.HeaderBytes < HeaderBounds.MaxTableBytes, $"the kept copy's headers take {kept.HeaderBytes} bytes");
            Assert.DoesNotContain(kept.Headers.Keys, name => name.StartsWith("X-", StringComparison.Ordinal));
            if (shape == Shape.EnvelopeHeaderKnownName)
                Assert.Contains("cut from", kept.Text("RC-Redrive-Count"));

            var failed = await events.NextAsync(hostile.RequestId);
            Assert.True(failed.HeaderBytes < HeaderBounds.MaxTableBytes, $"the DeletionFailed event's headers take {failed.HeaderBytes} bytes");
            Assert.True(failed.Body.Length < 64 * 1024, $"the DeletionFailed event takes {failed.Body.Length} bytes");
            Assert.DoesNotContain(failed.Headers.Keys, name => name.StartsWith("X-", StringComparison.Ordinal));

            await Eventually.TrueAsync(async () => await QueueDepthAsync(host.RabbitMqUri, QueueNames.DeleteTag) == 0, TimeSpan.FromSeconds(30),
                () => "delete-tag is not empty");
            Assert.Equal(connections, await host.ConnectionsAsync());
        }
        finally
        {
            await host.DeleteAsync();
        }
    }

    /// <summary>A 300 KB envelope header (unknown name, or one of the worker's own), or 120 KB of AMQP headers over 60 names.</summary>
    private static (Dictionary<string, string> Envelope, Dictionary<string, object?> Transport) HeadersOf(Shape shape)
    {
        var big = new string('h', 300 * 1024);
        return shape switch
        {
            Shape.EnvelopeHeaderUnknownName => (new() { ["X-Big"] = big }, []),
            Shape.EnvelopeHeaderKnownName => (new() { ["RC-Redrive-Count"] = big }, []),
            Shape.TransportHeaderTableOfManyHeaders => ([], Enumerable.Range(0, 60).ToDictionary(i => i % 2 == 0 ? $"X-Spread-{i}" : $"RC-Spread-{i}", _ => (object?)new string('s', 2000))),
            _ => ([], []),
        };
    }

    private static string Envelope(DeleteTag command, Dictionary<string, string> headers) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["messageId"] = Guid.NewGuid(),
        ["messageType"] = new[] { "urn:message:RegistryCleaner.Contracts:DeleteTag" },
        ["message"] = command,
        ["headers"] = headers,
    }, JsonSerializerOptions.Web);

    private static async Task PublishRawAsync(string brokerUri, byte[] body, Dictionary<string, object?> headers)
    {
        var factory = new ConnectionFactory { Uri = new Uri(brokerUri) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties
        {
            ContentType = "application/vnd.masstransit+json",
            Persistent = true,
            MessageId = Guid.NewGuid().ToString(),
            Headers = headers.Count > 0 ? headers : null,
        };
        await channel.BasicPublishAsync("", QueueNames.DeleteTag, true, properties, body);
    }

    private static async Task<uint> QueueDepthAsync(string brokerUri, string queue)
    {
        var factory = new ConnectionFactory { Uri = new Uri(brokerUri) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var declared = await channel.QueueDeclarePassiveAsync(queue);
        return declared.MessageCount;
    }
}
