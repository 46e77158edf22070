using System.Text.Json;
using RegistryCleaner.Worker.Registries.Http;

namespace RegistryCleaner.Worker.Registries.Huawei;

/// <summary>
/// An error body of a Huawei Cloud service or of its API gateway: <c>{"errorCode","errorMessage"}</c> (SWR),
/// <c>{"error_code","error_msg"}</c> (gateway) or <c>{"error":{"code","message"}}</c> (IMS). Null when the body is none of them.
/// </summary>
public sealed record HuaweiError(string Code, string Message)
{
    /// <summary>The gateway has no such API route: the endpoint is wrong, nothing was looked up.</summary>
    public const string RouteNotFound = "APIGW.0101";

    private const int MaxBody = 64 * 1024;

    public bool IsRouteNotFound => Code == RouteNotFound;

    public static async Task<HuaweiError?> ReadAsync(HttpResponseMessage response, CancellationToken ct)
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
            if (root.TryGetProperty("error", out var nested) && nested.ValueKind == JsonValueKind.Object)
                root = nested;
            var code = Text(root, "errorCode") ?? Text(root, "error_code") ?? Text(root, "code");
            return code is null ? null : new HuaweiError(code, Text(root, "errorMessage") ?? Text(root, "error_msg") ?? Text(root, "message") ?? "");
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            return null;
        }
    }

    public override string ToString() => Message.Length == 0 ? Code : $"{Code}: {Message}";

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
