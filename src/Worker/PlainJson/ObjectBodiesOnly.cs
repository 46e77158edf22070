using System.Runtime.Serialization;
using MassTransit;

namespace RegistryCleaner.Worker.PlainJson;

/// <summary>
/// A plain JSON command is a JSON object. Any other body (<c>null</c>, a string, an array, a number) is refused before a
/// consumer sees it, so it goes to the error queue with that reason, rather than to <c>_skipped</c> (where <c>null</c> would
/// go) with none. It runs in the consume pipe, inside MassTransit's error handling: thrown earlier, in the receive pipe,
/// the message would be redelivered for ever.
/// </summary>
internal sealed class ObjectBodiesOnly : IFilter<ConsumeContext>
{
    public Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        if (PlainJsonCommands.IsPlainJson(context) && FirstSignificant(context.ReceiveContext.Body.GetBytes()) is { } first and not (byte)'{')
            throw new SerializationException($"A plain JSON command must be a JSON object; this body starts with '{(char)first}'.");
        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("plainJsonObjectBodies");

    /// <summary>The first byte past a byte order mark and white space; null for a body of nothing else (read as an empty command).</summary>
    private static byte? FirstSignificant(ReadOnlySpan<byte> body)
    {
        if (body.StartsWith("\uFEFF"u8))
            body = body[3..];
        var start = body.IndexOfAnyExcept(" \t\r\n"u8);
        return start < 0 ? null : body[start];
    }
}
