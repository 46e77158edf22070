using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace RegistryCleaner.Sandbox;

/// <summary>
/// NAVER Cloud Container Registry API v2 under /ncr/api/v2. The image name is one path segment
/// ("hello%2Fworld"), so routes are matched on the raw path, never on decoded route values.
/// </summary>
internal sealed class NcrApi(RegistryStore store) : RegistryApi(store)
{
    public const string Base = "/ncr/api/v2";
    private const int DefaultPageSize = 10;

    private enum Route { Images, Image, Tags, Tag }

    public override string BasePath => Base;

    public override async Task HandleAsync(HttpContext context, RawRequest request)
    {
        if (!TryRoute(request, out var route, out var segments))
        {
            await GatewayError(context, 404, "300", "Not Found", "No matching API found.");
            return;
        }
        if (Authenticate(context, request) is { } failure)
        {
            await GatewayError(context, 401, "200", "Authentication Failed", failure);
            return;
        }

        var registry = RawRequest.Decode(segments[1]);
        if (!string.Equals(registry, Store.Config.NcrRegistry ?? Store.Name, StringComparison.Ordinal))
        {
            await ServiceError(context, 404, "NOT_FOUND", $"registry {registry} not found");
            return;
        }

        var image = segments.Length > 2 ? RawRequest.Decode(segments[2]) : "";
        switch (route)
        {
            case Route.Images:
                await ListImagesAsync(context, request);
                break;
            case Route.Image when HttpMethods.IsDelete(request.Method):
                await DeleteImageAsync(context, image);
                break;
            case Route.Image:
                await ShowImageAsync(context, image);
                break;
            case Route.Tags:
                await ListTagsAsync(context, request, image);
                break;
            case Route.Tag when HttpMethods.IsDelete(request.Method):
                await DeleteTagAsync(context, image, RawRequest.Decode(segments[4]));
                break;
            default:
                await ShowTagAsync(context, image, RawRequest.Decode(segments[4]));
                break;
        }
    }

    /// <summary>Segments after the base path: repositories/{registry}[/{image}[/tags[/{reference}]]].</summary>
    private static bool TryRoute(RawRequest request, out Route route, out string[] segments)
    {
        route = default;
        segments = [];
        var path = request.RawPath;
        if (!path.StartsWith(Base + "/", StringComparison.Ordinal)) return false;
        segments = path[(Base.Length + 1)..].Split('/');
        if (segments[0] != "repositories" || segments.Any(s => s.Length == 0)) return false;
        var method = request.Method;
        bool get = HttpMethods.IsGet(method), delete = HttpMethods.IsDelete(method);
        (route, var ok) = segments.Length switch
        {
            2 => (Route.Images, get),
            3 => (Route.Image, get || delete),
            4 => (Route.Tags, segments[3] == "tags" && get),
            5 => (Route.Tag, segments[3] == "tags" && (get || delete)),
            _ => (default, false),
        };
        return ok;
    }

    private string? Authenticate(HttpContext context, RawRequest request)
    {
        var config = Store.Config;
        if (config.AccessKey is null) return null;
        var headers = context.Request.Headers;
        var timestamp = headers[NcrSignature.TimestampHeader].ToString();
        var accessKey = headers[NcrSignature.AccessKeyHeader].ToString();
        var signature = headers[NcrSignature.SignatureHeader].ToString();
        if (timestamp.Length == 0 || accessKey.Length == 0 || signature.Length == 0)
            return "Required authentication headers are missing.";
        if (!string.Equals(accessKey, config.AccessKey, StringComparison.Ordinal) || config.SecretKey is null)
            return "The access key is not registered.";
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - ms) > (long)NcrSignature.MaxClockSkew.TotalMilliseconds)
            return "The timestamp is invalid or outside the allowed window.";
        var expected = NcrSignature.Sign(config.SecretKey, NcrSignature.StringToSign(request.Method, request.RawTarget, timestamp, accessKey));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature))
            ? null
            : "The signature does not match.";
    }

    private Task DeleteTagAsync(HttpContext context, string image, string reference) =>
        Store.RemoveTag(image, reference) == true
            ? Respond.Empty(context, StatusCodes.Status204NoContent)
            : NotFound(context, $"tag {image}:{reference} not found");

    private Task DeleteImageAsync(HttpContext context, string image)
    {
        bool deleted;
        lock (Store.Gate) deleted = Store.Repositories.Remove(image);
        return deleted ? Respond.Empty(context, StatusCodes.Status204NoContent) : NotFound(context, $"image {image} not found");
    }

    private Task ShowImageAsync(HttpContext context, string image)
    {
        object? item = null;
        lock (Store.Gate)
        {
            if (Store.Repositories.TryGetValue(image, out var repo)) item = ImageItem(repo);
        }
        return item is null ? NotFound(context, $"image {image} not found") : Respond.Json(context, 200, item);
    }

    private Task ShowTagAsync(HttpContext context, string image, string reference)
    {
        object? item = null;
        lock (Store.Gate)
        {
            if (Store.Repositories.TryGetValue(image, out var repo) && repo.Tags.TryGetValue(reference, out var tag)) item = TagItem(tag);
        }
        return item is null ? NotFound(context, $"tag {image}:{reference} not found") : Respond.Json(context, 200, item);
    }

    private Task ListImagesAsync(HttpContext context, RawRequest request)
    {
        if (!TryPaging(request, out var page, out var size)) return ServiceError(context, 400, "BAD_REQUEST", "invalid page or pagesize");
        List<object> results;
        int count;
        lock (Store.Gate)
        {
            count = Store.Repositories.Count;
            results = Store.Repositories.Values.OrderBy(r => r.Name, StringComparer.Ordinal)
                .Skip((page - 1) * size).Take(size).Select(ImageItem).ToList();
        }
        return Respond.Json(context, 200, PageOf(page, size, count, results));
    }

    private Task ListTagsAsync(HttpContext context, RawRequest request, string image)
    {
        if (!TryPaging(request, out var page, out var size)) return ServiceError(context, 400, "BAD_REQUEST", "invalid page or pagesize");
        List<object>? results = null;
        var count = 0;
        lock (Store.Gate)
        {
            if (Store.Repositories.TryGetValue(image, out var repo))
            {
                count = repo.Tags.Count;
                results = repo.Tags.Values.OrderByDescending(t => t.Updated).ThenBy(t => t.Name, StringComparer.Ordinal)
                    .Skip((page - 1) * size).Take(size).Select(TagItem).ToList();
            }
        }
        return results is null ? NotFound(context, $"image {image} not found") : Respond.Json(context, 200, PageOf(page, size, count, results));
    }

    private static object PageOf(int page, int size, int count, List<object> results) => new
    {
        count,
        next = (long)page * size < count ? page + 1 : (int?)null,
        previous = page > 1 ? page - 1 : (int?)null,
        results,
    };

    private static bool TryPaging(RawRequest request, out int page, out int size)
    {
        page = 1;
        size = DefaultPageSize;
        var rawPage = request.QueryValue("page");
        var rawSize = request.QueryValue("pagesize");
        if (!string.IsNullOrEmpty(rawPage) && (!int.TryParse(rawPage, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1))
            return false;
        if (!string.IsNullOrEmpty(rawSize) && (!int.TryParse(rawSize, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size < 1))
            return false;
        return true;
    }

    private static object ImageItem(RepositoryRecord repo) => new
    {
        name = repo.Name,
        description = "",
        is_public = false,
        pull_count = 0,
        star_count = 0,
        tag_count = repo.Tags.Count,
        last_updated = Time(repo.Tags.Count == 0 ? repo.Created : repo.Tags.Values.Max(t => t.Updated)),
    };

    private static object TagItem(TagRecord tag) => new
    {
        name = tag.Name,
        digest = tag.Digest,
        full_size = tag.Size,
        last_updated = Time(tag.Updated),
        creator = "sandbox",
        images = new[] { new { architecture = "amd64", os = "linux", digest = tag.Digest, size = tag.Size } },
    };

    private static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static Task NotFound(HttpContext context, string message) => ServiceError(context, 404, "NOT_FOUND", message);

    private static Task ServiceError(HttpContext context, int status, string code, string message) =>
        Respond.Json(context, status, new { errors = new[] { new { code, message } } });

    private static Task GatewayError(HttpContext context, int status, string code, string message, string details) =>
        Respond.Json(context, status, new { error = new { errorCode = code, message, details } });

    public override Task WriteFaultAsync(HttpContext context, RawRequest request, int status) => status switch
    {
        401 => GatewayError(context, 401, "200", "Authentication Failed", "Invalid authentication information."),
        429 => GatewayError(context, 429, "410", "Throttle Limited", "Rate of API requests exceeded."),
        503 => GatewayError(context, 503, "500", "Endpoint Error", "The endpoint is unavailable."),
        504 => GatewayError(context, 504, "510", "Endpoint Timeout", "The endpoint timed out."),
        404 => NotFound(context, "resource not found"),
        409 => ServiceError(context, 409, "CONFLICT", "the registry is temporarily read-only"),
        >= 500 => ServiceError(context, status, "INTERNAL_SERVER_ERROR", "internal server error"),
        _ => ServiceError(context, status, "BAD_REQUEST", "request failed"),
    };
}
