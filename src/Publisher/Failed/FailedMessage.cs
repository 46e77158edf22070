using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using RabbitMQ.Client;

namespace RegistryCleaner.Publisher.Failed;

/// <summary>
/// A command kept in an <c>_error</c> queue, as far as it can be read: its target from the message, the failure and
/// its time from the headers. <see cref="Readable"/> is false for a body that is not a command (it cannot be re-driven).
/// </summary>
public sealed record FailedMessage
{
    public const string ErrorSuffix = "_error";

    public string Queue { get; init; } = "";
    public string OriginalQueue { get; init; } = "";
    public string? MessageId { get; init; }
    public string? MessageType { get; init; }
    public Guid? RequestId { get; init; }
    public string? Registry { get; init; }
    public string? Repository { get; init; }
    public string? Tag { get; init; }
    public string? Policy { get; init; }
    public string Failure { get; init; } = "";
    public string? Detail { get; init; }
    public DateTimeOffset? FailedAt { get; init; }
    public int RedriveCount { get; init; }
    public bool Readable { get; init; }

    /// <summary>Headers the worker cut or left out when it kept the command (the body is always whole).</summary>
    public string? HeadersCut { get; init; }

    /// <summary>Moved aside because its handling kept dying (a poison message); re-driving it needs --force.</summary>
    public bool Poison => Failure == FaultHeaders.Poison;

    [JsonIgnore]
    public string Target => Registry is null ? (Policy is null ? "(unreadable message)" : $"policy {Policy}")
        : Tag is null ? $"{Registry}/{Repository}" : $"{Registry}/{Repository}:{Tag}";

    /// <summary>Results of these come back as DeletionSucceeded / DeletionFailed.</summary>
    [JsonIgnore]
    public bool IsDeletion => MessageType is "DeleteTag" or "DeleteRepository";

    public static FailedMessage From(string queue, BasicGetResult message)
    {
        var headers = message.BasicProperties.Headers;
        var exceptionType = FaultHeaders.Text(headers, FaultHeaders.ExceptionType);
        var parsed = Read(message.Body.Span);
        return parsed with
        {
            Queue = queue,
            OriginalQueue = OriginalQueueOf(queue, FaultHeaders.Text(headers, FaultHeaders.InputAddress)),
            MessageId = parsed.MessageId ?? message.BasicProperties.MessageId,
            Failure = FaultHeaders.Text(headers, FaultHeaders.FailureKind) ?? exceptionType?.Split('.')[^1] ?? "Unknown",
            Detail = FaultHeaders.Text(headers, FaultHeaders.Message),
            FailedAt = DateTimeOffset.TryParse(FaultHeaders.Text(headers, FaultHeaders.Timestamp), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? at.ToUniversalTime()
                : null,
            RedriveCount = FaultHeaders.Number(headers, FaultHeaders.RedriveCount),
            HeadersCut = FaultHeaders.Text(headers, FaultHeaders.HeadersCut),
        };
    }

    /// <summary>The queue the command failed in: the fault's input address, else the error queue's name without "_error".</summary>
    public static string OriginalQueueOf(string errorQueue, string? inputAddress)
    {
        if (Uri.TryCreate(inputAddress, UriKind.Absolute, out var address))
        {
            var last = address.AbsolutePath.TrimEnd('/').Split('/')[^1];
            if (last.Length > 0 && !last.EndsWith(ErrorSuffix, StringComparison.Ordinal))
                return Uri.UnescapeDataString(last);
        }
        return errorQueue.EndsWith(ErrorSuffix, StringComparison.Ordinal) ? errorQueue[..^ErrorSuffix.Length] : errorQueue;
    }

    /// <summary>A MassTransit envelope (<c>{"messageType":[…],"message":{…}}</c>) or a bare message.</summary>
    private static FailedMessage Read(ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return new FailedMessage();
            var message = Property(root, "message") is { ValueKind: JsonValueKind.Object } inner ? inner : root;
            var type = Property(root, "messageType") is { ValueKind: JsonValueKind.Array } types && types.GetArrayLength() > 0
                ? types[0].GetString()?.Split(':')[^1]
                : null;
            var id = Text(message, "requestId") ?? Text(message, "runId");
            var requestId = Guid.TryParse(id, out var guid) && guid != Guid.Empty ? guid : (Guid?)null;
            return new FailedMessage
            {
                MessageId = Text(root, "messageId"),
                MessageType = type,
                RequestId = requestId,
                Registry = Text(message, "registry"),
                Policy = Text(message, "policy"),
                Repository = Text(message, "repository"),
                Tag = Text(message, "tag"),
                Readable = requestId is not null && type is not null,
            };
        }
        catch (JsonException)
        {
            return new FailedMessage();
        }
    }

    private static JsonElement? Property(JsonElement element, string name)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                return property.Value;
        }
        return null;
    }

    private static string? Text(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;
}
