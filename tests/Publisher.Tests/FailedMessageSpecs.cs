using System.Text;
using RabbitMQ.Client;
using RegistryCleaner.Publisher.Failed;

namespace RegistryCleaner.Publisher.Tests;

public sealed class FailedMessageSpecs
{
    private static BasicGetResult Message(string body, Dictionary<string, object?> headers) =>
        new(1, false, "", "delete-tag_error", 0, new BasicProperties { Headers = headers, MessageId = "transport-id" }, Encoding.UTF8.GetBytes(body));

    [Fact]
    public void A_command_kept_by_the_worker_shows_its_target_failure_and_time()
    {
        var requestId = Guid.NewGuid();
        var body = $$$"""{"messageId":"m-1","messageType":["urn:message:RegistryCleaner.Contracts:DeleteTag"],"message":{"requestId":"{{{requestId}}}","registry":"oci","repository":"team/app","tag":"v1"}}""";
        var headers = new Dictionary<string, object?>
        {
            ["MT-Fault-Message"] = "The registry did not answer."u8.ToArray(),
            ["RC-Failure-Kind"] = "RetriesExhausted"u8.ToArray(),
            ["MT-Fault-InputAddress"] = "rabbitmq://127.0.0.1:5672/some-vhost/delete-tag"u8.ToArray(),
            ["MT-Fault-Timestamp"] = "2025-03-04T05:06:07.0000000+00:00"u8.ToArray(),
            ["RC-Redrive-Count"] = 2,
        };

        var failed = FailedMessage.From("delete-tag_error", Message(body, headers));

        Assert.True(failed.Readable);
        Assert.True(failed.IsDeletion);
        Assert.Equal(requestId, failed.RequestId);
        Assert.Equal("oci/team/app:v1", failed.Target);
        Assert.Equal("RetriesExhausted", failed.Failure);
        Assert.Equal("The registry did not answer.", failed.Detail);
        Assert.Equal("delete-tag", failed.OriginalQueue);
        Assert.Equal(new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero), failed.FailedAt);
        Assert.Equal(2, failed.RedriveCount);
        Assert.Equal("m-1", failed.MessageId);
    }

    [Fact]
    public void A_body_that_is_not_a_command_is_listed_as_unreadable_with_MassTransit_s_fault()
    {
        var headers = new Dictionary<string, object?>
        {
            ["MT-Fault-ExceptionType"] = "MassTransit.SerializationException"u8.ToArray(),
            ["MT-Fault-Message"] = "An exception occurred while deserializing the message envelope"u8.ToArray(),
        };

        var failed = FailedMessage.From("delete-tag_error", Message("{not json", headers));

        Assert.False(failed.Readable);
        Assert.Null(failed.RequestId);
        Assert.Equal("SerializationException", failed.Failure);
        Assert.Equal("(unreadable message)", failed.Target);
        Assert.Equal("transport-id", failed.MessageId);
        Assert.Equal("delete-tag", failed.OriginalQueue);
    }

    [Theory]
    [InlineData("delete-tag_error", null, "delete-tag")]
    [InlineData("delete-tag_error", "rabbitmq://host/delete-repository", "delete-repository")]
    [InlineData("delete-tag_error", "rabbitmq://host/vhost/delete-tag?temporary=false", "delete-tag")]
    [InlineData("delete-tag_error", "rabbitmq://host/other_error", "delete-tag")]
    [InlineData("delete-tag_error", "not a uri", "delete-tag")]
    public void The_original_queue_comes_from_the_input_address_else_from_the_error_queue_name(string queue, string? input, string expected) =>
        Assert.Equal(expected, FailedMessage.OriginalQueueOf(queue, input));

    [Fact]
    public void A_poison_command_with_a_2_MB_body_and_cut_headers_is_listed_whole_and_marked_as_poison()
    {
        var requestId = Guid.NewGuid();
        var reason = new string('r', 2 * 1024 * 1024);
        var body = $$$"""{"messageId":"m-2","messageType":["urn:message:RegistryCleaner.Contracts:DeleteTag"],"message":{"requestId":"{{{requestId}}}","registry":"oci","repository":"team/app","tag":"v1","reason":"{{{reason}}}"}}""";
        var headers = new Dictionary<string, object?>
        {
            ["MT-Fault-Message"] = "Moved aside as poison: its handling was started 3 times and never settled."u8.ToArray(),
            ["RC-Failure-Kind"] = "Poison"u8.ToArray(),
            ["RC-Headers-Cut"] = "RC-Redrive-Count (cut from 307200 bytes)"u8.ToArray(),
        };

        var failed = FailedMessage.From("delete-tag_error", Message(body, headers));

        Assert.True(failed.Readable);
        Assert.True(failed.Poison);
        Assert.Equal(requestId, failed.RequestId);
        Assert.Equal("oci/team/app:v1", failed.Target);
        Assert.StartsWith("Moved aside as poison", failed.Detail);
        Assert.Equal("RC-Redrive-Count (cut from 307200 bytes)", failed.HeadersCut);
        Assert.Equal(0, failed.RedriveCount);
    }
}
