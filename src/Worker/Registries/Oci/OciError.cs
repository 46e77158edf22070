using System.Text.Json;
using RegistryCleaner.Worker.Registries.Http;

namespace RegistryCleaner.Worker.Registries.Oci;

/// <summary>The first entry of an OCI error body <c>{"errors":[{"code","message"}]}</c>, or null when the body is not one.</summary>
public sealed record OciError(string Code, string Message)
{
    private const int MaxBody = 64 * 1024;

    public static async Task<OciError?> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await ResponseBody.ReadLimitedAsync(response, MaxBody, ct);
        if (body.Length == 0)
            return null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("errors", out var errors)
                && errors.ValueKind == JsonValueKind.Array
                && errors.GetArrayLength() > 0
                && errors[0].ValueKind == JsonValueKind.Object
                && errors[0].TryGetProperty("code", out var code)
                && code.ValueKind == JsonValueKind.String)
            {
                var message = errors[0].TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                return new OciError(code.GetString()!, Shorten(message ?? ""));
            }
        }
        catch (JsonException)
        {
        }
        return null;
    }

    public bool IsNotFound => Code is "MANIFEST_UNKNOWN" or "NAME_UNKNOWN" or "BLOB_UNKNOWN";

    public override string ToString() => Message.Length == 0 ? Code : $"{Code}: {Message}";

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
