using Microsoft.AspNetCore.Http;

namespace RegistryCleaner.Sandbox;

/// <summary>Errors produced by the Huawei Cloud API gateway in front of SWR and IMS, not by the services.</summary>
internal static class HuaweiGateway
{
    public const string RouteNotFoundCode = "APIGW.0101";

    /// <summary>
    /// What the gateway checks before a request reaches SWR or IMS: a known route (else 404), then the signature (else 401).
    /// The request body when both pass; null once the gateway has answered.
    /// </summary>
    public static async Task<byte[]?> AdmitAsync(HttpContext context, RawRequest request, SeedRegistry config, bool routed)
    {
        if (!routed)
        {
            await WriteNotFoundAsync(context);
            return null;
        }
        var body = await Respond.ReadBodyAsync(context);
        if (HuaweiAuthenticator.Verify(context, request, body, config) is { } failure)
        {
            await WriteUnauthorizedAsync(context, failure);
            return null;
        }
        return body;
    }

    public static Task WriteNotFoundAsync(HttpContext context) =>
        Write(context, StatusCodes.Status404NotFound, RouteNotFoundCode, "The API does not exist or has not been published in the environment");

    public static Task WriteUnauthorizedAsync(HttpContext context, string reason) =>
        Write(context, StatusCodes.Status401Unauthorized, "APIGW.0301", "Incorrect IAM authentication information: " + reason);

    public static Task WriteThrottledAsync(HttpContext context) =>
        Write(context, StatusCodes.Status429TooManyRequests, "APIGW.0308", "The throttling threshold has been reached: policy user over ratelimit");

    public static Task WriteUnavailableAsync(HttpContext context, int status) =>
        Write(context, status, "APIGW.0201", "Request error: backend unavailable");

    private static Task Write(HttpContext context, int status, string code, string message) =>
        Respond.Json(context, status, new { error_msg = message, error_code = code, request_id = Respond.RequestId() });
}
