using System.Text;
using RabbitMQ.Client;
using RegistryCleaner.Contracts;
using RegistryCleaner.Integration.Tests.Support;

namespace RegistryCleaner.Integration.Tests;

[Collection(WorkerCollection.Name)]
public sealed class MalformedMessageTests(WorkerFixture fixture)
{
    [Fact]
    public async Task Undeserializable_messages_go_to_the_error_queue_and_valid_work_goes_on()
    {
        var factory = new ConnectionFactory { Uri = new Uri(TestServices.RabbitMqUri) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var before = await ErrorCountAsync(channel);

        string[] bodies = ["{not json", "", "\"just a string\"", """{"message":{"requestId":"not-a-guid"},"messageType":["urn:message:RegistryCleaner.Contracts:DeleteTag"]}"""];
        foreach (var body in bodies)
        {
            var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true, MessageId = Guid.NewGuid().ToString() };
            await channel.BasicPublishAsync("", QueueNames.DeleteTag, false, properties, Encoding.UTF8.GetBytes(body));
        }

        var repository = TestServices.UniqueRepository("after-garbage");
        await fixture.Registry.PushAsync(repository, "one", "v1");
        var valid = new DeleteTag { RequestId = Guid.NewGuid(), Registry = "oci", Repository = repository, Tag = "v1" };
        await fixture.SendAsync(QueueNames.DeleteTag, valid);

        Assert.NotNull((await fixture.ResultAsync(valid.RequestId)).Succeeded);
        await Eventually.TrueAsync(async () => await ErrorCountAsync(channel) >= before + bodies.Length, TimeSpan.FromSeconds(20),
            () => "not every malformed body reached delete-tag_error");
        Assert.Equal(before + bodies.Length, await ErrorCountAsync(channel));
    }

    /// <summary>Declared (as MassTransit declares it) rather than looked up: run first, the test finds no error queue yet.</summary>
    private static async Task<uint> ErrorCountAsync(IChannel channel) =>
        (await channel.QueueDeclareAsync(QueueNames.DeleteTag + "_error", durable: true, exclusive: false, autoDelete: false)).MessageCount;
}
