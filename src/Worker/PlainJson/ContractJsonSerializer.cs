using System.Net.Mime;
using System.Text.Json;
using MassTransit;
using MassTransit.Serialization;
using RegistryCleaner.Contracts;

namespace RegistryCleaner.Worker.PlainJson;

/// <summary>The message alone, as <see cref="ContractJson"/> writes it: no envelope, <c>content_type: application/json</c>.</summary>
internal sealed class ContractJsonSerializer : IMessageSerializer
{
    public static readonly ContractJsonSerializer Instance = new();

    public ContentType ContentType { get; } = new("application/json");

    public MessageBody GetMessageBody<T>(SendContext<T> context) where T : class =>
        new BytesMessageBody(JsonSerializer.SerializeToUtf8Bytes(context.Message, ContractJson.Options));
}
