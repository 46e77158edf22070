using System.Security.Cryptography;
using MassTransit;
using RegistryCleaner.Common;
namespace RegistryCleaner.Worker.PlainJson;

/// <summary>Where a plain JSON command without a RequestId in its body gets one.</summary>
public static class RequestIds
{
    /// <summary>The AMQP <c>message_id</c>: taken as is when it is a UUID, otherwise a UUID derived from it.</summary>
    public static Guid? FromMessageId(ConsumeContext context)
    {
        if (!context.ReceiveContext.TryGetPayload<RabbitMqBasicConsumeContext>(out var amqp) || !amqp.Properties.IsMessageIdPresent()
            || string.IsNullOrWhiteSpace(amqp.Properties.MessageId))
            return null;
        var messageId = amqp.Properties.MessageId;
        return Guid.TryParse(messageId, out var id) && id != Guid.Empty ? id : DeterministicId.From("amqp-message-id", messageId);
    }

    /// <summary>Derived from the body, so a body delivered again (or sent again) is recognisable as the same request.</summary>
    public static Guid FromBody(string queue, byte[] body) => DeterministicId.From("plain-json-body", queue, Convert.ToHexString(SHA256.HashData(body)));
}
