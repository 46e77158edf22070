using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace RegistryCleaner.Sandbox;

internal static class Respond
{
    private static readonly JsonSerializerOptions Options = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never };

    public static Task Json(HttpContext context, int status, object body) =>
        Bytes(context, status, JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), Options), "application/json; charset=utf-8");

    public static Task Text(HttpContext context, int status, string text, string contentType = "text/plain; charset=utf-8") =>
        Bytes(context, status, Encoding.UTF8.GetBytes(text), contentType);

    public static Task Bytes(HttpContext context, int status, byte[] body, string contentType)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        return HttpMethods.IsHead(context.Request.Method) || body.Length == 0
            ? Task.CompletedTask
            : response.Body.WriteAsync(body, 0, body.Length, context.RequestAborted);
    }

    public static Task Empty(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        if (status != StatusCodes.Status204NoContent) context.Response.ContentLength = 0;
        return Task.CompletedTask;
    }

    public static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentLength == 0 || context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == false)
            return [];
        using var buffer = new MemoryStream(request.ContentLength is > 0 and < 1 << 24 ? (int)request.ContentLength.Value : 4096);
        await request.Body.CopyToAsync(buffer, context.RequestAborted);
        return buffer.ToArray();
    }

    public static void RetryAfter(HttpContext context, int status, int? seconds)
    {
        if (seconds is { } value && status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable)
            context.Response.Headers.RetryAfter = value.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public static string RequestId() => Guid.NewGuid().ToString("N");
}
