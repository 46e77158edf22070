using Microsoft.AspNetCore.Http;

namespace RegistryCleaner.Sandbox;

/// <summary>The distribution error body {"errors":[{"code","message","detail"}]}.</summary>
internal static class OciErrors
{
    public static Task Write(HttpContext context, int status, string code, string message, object? detail = null) =>
        Respond.Json(context, status, new { errors = new[] { new { code, message, detail } } });

    public static Task NameUnknown(HttpContext context, string name) =>
        Write(context, 404, "NAME_UNKNOWN", "repository name not known to registry", new { name });

    public static Task ManifestUnknown(HttpContext context, string reference) =>
        Write(context, 404, "MANIFEST_UNKNOWN", "manifest unknown", new { reference });

    public static Task BlobUnknown(HttpContext context, string digest) =>
        Write(context, 404, "BLOB_UNKNOWN", "blob unknown to registry", new { digest });

    public static Task DigestInvalid(HttpContext context, string detail) =>
        Write(context, 400, "DIGEST_INVALID", "provided digest did not match uploaded content", detail);

    public static Task TagInvalid(HttpContext context, string tag) =>
        Write(context, 400, "TAG_INVALID", "manifest tag did not match URI", new { tag });

    public static Task Unsupported(HttpContext context) =>
        Write(context, 405, "UNSUPPORTED", "The operation is unsupported.");

    public static Task UploadUnknown(HttpContext context) =>
        Write(context, 404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry");

    /// <summary>What an unknown path gets: the router's plain-text page, not a distribution error.</summary>
    public static Task PageNotFound(HttpContext context) =>
        Respond.Text(context, 404, "404 page not found\n");

    public static Task Fault(HttpContext context, int status) => status switch
    {
        401 => Write(context, 401, "UNAUTHORIZED", "authentication required"),
        403 => Write(context, 403, "DENIED", "requested access to the resource is denied"),
        404 => Write(context, 404, "MANIFEST_UNKNOWN", "manifest unknown"),
        405 => Unsupported(context),
        429 => Write(context, 429, "TOOMANYREQUESTS", "too many requests"),
        503 => Write(context, 503, "UNAVAILABLE", "service unavailable"),
        _ => Write(context, status, "UNKNOWN", "unknown error"),
    };
}
