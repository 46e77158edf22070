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

    public bool IsRouteNotFound => Code == RouteNotFound;

    public static Task<HuaweiError?> ReadAsync(HttpResponseMessage response, CancellationToken ct) => ErrorBody.ReadAsync(response, Parse, ct);

    public override string ToString() => Message.Length == 0 ? Code : $"{Code}: {Message}";


    private static HuaweiError? Parse(JsonElement root)
    {
        if (root.TryGetProperty("error", out var nested) && nested.ValueKind == JsonValueKind.Object)
            root = nested;
        var code = ResponseBody.Text(root, "errorCode") ?? ResponseBody.Text(root, "error_code") ?? ResponseBody.Text(root, "code");
        return code is null ? null : new HuaweiError(code, ResponseBody.Text(root, "errorMessage") ?? ResponseBody.Text(root, "error_msg") ?? ResponseBody.Text(root, "message") ?? "");
    }
}
