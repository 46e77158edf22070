using System.Text.Json;
using RegistryCleaner.Worker.Registries.Http;

namespace RegistryCleaner.Worker.Registries.Ncr;

/// <summary>
/// An NCR error body. The registry API answers <c>{"errors":[{"code","message"}]}</c>; the API gateway in front of it
/// answers <c>{"error":{"errorCode","message","details"}}</c>, which says nothing about the registry's contents.
/// </summary>
public sealed record NcrError(string Code, string Message, bool FromGateway)
{
    private const int MaxBody = 64 * 1024;

    public static async Task<NcrError?> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var body = await ResponseBody.ReadLimitedAsync(response, MaxBody, ct);
            if (body.Length == 0)
                return null;
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return null;
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array
                && errors.GetArrayLength() > 0 && errors[0].ValueKind == JsonValueKind.Object && Text(errors[0], "code") is { } code)
                return new NcrError(code, Text(errors[0], "message") ?? "", FromGateway: false);
            if (root.TryGetProperty("error", out var gateway) && gateway.ValueKind == JsonValueKind.Object && Text(gateway, "errorCode") is { } gatewayCode)
                return new NcrError(gatewayCode, Text(gateway, "message") ?? Text(gateway, "details") ?? "", FromGateway: true);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
        }
        return null;
    }

    public override string ToString() => FromGateway ? $"API gateway error {Code}: {Message}" : Message.Length == 0 ? Code : $"{Code}: {Message}";

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
