using MassTransit;

namespace RegistryCleaner.Worker.PlainJson;

/// <summary>Why a plain JSON command is refused before its fields are validated; carried on the consume context.</summary>
public sealed record PlainJsonRefusal(string Detail)
{
    public static string? Of(ConsumeContext context) => context.TryGetPayload<PlainJsonRefusal>(out var refusal) ? refusal.Detail : null;
}
