using Microsoft.AspNetCore.Http;

namespace RegistryCleaner.Sandbox;

/// <summary>Errors produced by the Huawei Cloud API gateway in front of SWR and IMS, not by the services.</summary>
internal static class HuaweiGateway
{
    public const string RouteNotFoundCode = "APIGW.0101";

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
