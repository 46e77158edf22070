using System.Text.Json;

namespace RegistryCleaner.Worker.Registries.Http;

/// <summary>Reads the error a registry put in the body of an answer, whatever its kind's JSON shape.</summary>
public static class ErrorBody
{
    private const int MaxBody = 64 * 1024;

    /// <summary>
    /// What <paramref name="parse"/> finds in the body's JSON object; null when the body is empty, larger than 64 KiB,
    /// not JSON or not an object, or holds no error of that kind.
    /// </summary>
    public static async Task<T?> ReadAsync<T>(HttpResponseMessage response, Func<JsonElement, T?> parse, CancellationToken ct) where T : class
    {
        try
        {
            var body = await ResponseBody.ReadLimitedAsync(response, MaxBody, ct);
            if (body.Length == 0)
                return null;
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? parse(doc.RootElement) : null;
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>The first entry of <c>{"errors":[{"code","message"}]}</c> (the OCI distribution form, which NCR's registry API shares).</summary>
    public static (string Code, string? Message)? FirstOfErrors(JsonElement root) =>
        root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array
        && errors.GetArrayLength() > 0 && errors[0].ValueKind == JsonValueKind.Object && ResponseBody.Text(errors[0], "code") is { } code
            ? (code, ResponseBody.Text(errors[0], "message"))
            : null;
}
