using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace RegistryCleaner.Sandbox;

/// <summary>
/// Huawei Cloud IMS image tags (v2). A "repository" is an image id, a tag is a key/value pair.
/// Deleting a missing key answers 404: the API is documented as non-idempotent.
/// </summary>
internal sealed class ImsApi(RegistryStore store) : RegistryApi(store)
{
    private enum Route { Tags, Tag }

    public override async Task HandleAsync(HttpContext context, RawRequest request)
    {
        var segments = request.RawSegments();
        if (await HuaweiGateway.AdmitAsync(context, request, Store.Config, TryRoute(request.Method, segments, out var route)) is not { } body)
            return;

        var projectId = RawRequest.Decode(segments[2]);
        if (Store.Config.ProjectId is { } expected && !string.Equals(projectId, expected, StringComparison.Ordinal))
        {
            await Error(context, 404, "IMG.0001", "The project does not exist or does not match the token.");
            return;
        }

        var imageId = RawRequest.Decode(segments[4]);
        switch (route)
        {
            case Route.Tag:
                await DeleteTagAsync(context, imageId, RawRequest.Decode(segments[6]));
                break;
            case Route.Tags when HttpMethods.IsPut(request.Method):
                await AddTagAsync(context, imageId, body);
                break;
            default:
                await ListTagsAsync(context, imageId);
                break;
        }
    }

    private static bool TryRoute(string method, string[] s, out Route route)
    {
        route = default;
        if (s.Length < 6 || s[0] != "" || s[1] != "v2" || s[2].Length == 0 || s[3] != "images" || s[4].Length == 0 || s[5] != "tags")
            return false;
        (route, var ok) = s.Length switch
        {
            6 => (Route.Tags, HttpMethods.IsGet(method) || HttpMethods.IsPut(method)),
            7 => (Route.Tag, s[6].Length > 0 && HttpMethods.IsDelete(method)),
            _ => (default, false),
        };
        return ok;
    }

    private Task DeleteTagAsync(HttpContext context, string imageId, string key) => Store.RemoveTag(imageId, key) switch
    {
        null => ImageNotFound(context),
        true => Respond.Empty(context, StatusCodes.Status204NoContent),
        false => Error(context, 404, "IMG.0144", "The tag key does not exist on the image."),
    };

    private Task ListTagsAsync(HttpContext context, string imageId)
    {
        object[]? tags = null;
        lock (Store.Gate)
        {
            if (Store.Repositories.TryGetValue(imageId, out var image))
                tags = image.Tags.Values.OrderBy(t => t.Name, StringComparer.Ordinal)
                    .Select(t => (object)new { key = t.Name, value = t.Value ?? "" }).ToArray();
        }
        return tags is null ? ImageNotFound(context) : Respond.Json(context, 200, new { tags });
    }

    private Task AddTagAsync(HttpContext context, string imageId, byte[] body)
    {
        string? key = null, value = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("tag", out var tag) && tag.ValueKind == JsonValueKind.Object)
            {
                key = tag.TryGetProperty("key", out var k) ? k.GetString() : null;
                value = tag.TryGetProperty("value", out var v) ? v.GetString() : "";
            }
        }
        catch (JsonException)
        {
        }
        if (string.IsNullOrEmpty(key)) return Error(context, 400, "IMG.0002", "The request body is invalid.");

        bool imageFound;
        lock (Store.Gate)
        {
            imageFound = Store.Repositories.TryGetValue(imageId, out var image);
            if (imageFound) Store.AddTag(image!, new SeedTag { Name = key, Value = value });
        }
        return imageFound ? Respond.Empty(context, StatusCodes.Status204NoContent) : ImageNotFound(context);
    }

    private static Task ImageNotFound(HttpContext context) =>
        Error(context, 404, "IMG.0057", "The image does not exist.");

    private static Task Error(HttpContext context, int status, string code, string message) =>
        Respond.Json(context, status, new { error = new { code, message } });

    public override Task WriteFaultAsync(HttpContext context, RawRequest request, int status) => status switch
    {
        401 => HuaweiGateway.WriteUnauthorizedAsync(context, "injected"),
        429 => HuaweiGateway.WriteThrottledAsync(context),
        404 => Error(context, 404, "IMG.0144", "The tag key does not exist on the image."),
        >= 500 => Error(context, status, "IMG.0500", "Internal server error."),
        _ => Error(context, status, "IMG.0400", "The request failed."),
    };
}
