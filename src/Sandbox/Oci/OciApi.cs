using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace RegistryCleaner.Sandbox;

/// <summary>
/// OCI distribution API like CNCF distribution 2.8, plus the spec 1.1 tag delete when the registry supports it.
/// Unknown paths get the router's plain-text 404, never a distribution error body.
/// </summary>
internal sealed partial class OciApi : RegistryApi
{
    private const int DefaultCatalogPage = 100;
    private readonly OciAuth _auth;

    public OciApi(RegistryStore store) : base(store) => _auth = new OciAuth(store.Config.Auth ?? new SeedAuth());

    private enum Kind { Base, Catalog, Tags, Manifest, Blob, UploadStart, Upload, Referrers }

    private readonly record struct OciRoute(Kind Kind, string Name, string Reference);

    [GeneratedRegex("^/v2/(?<name>.+)/tags/list$", RegexOptions.CultureInvariant)]
    private static partial Regex TagsPath();

    [GeneratedRegex("^/v2/(?<name>.+)/referrers/(?<ref>[^/]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex ReferrersPath();

    [GeneratedRegex("^/v2/(?<name>.+)/manifests/(?<ref>[^/]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex ManifestPath();

    [GeneratedRegex("^/v2/(?<name>.+)/blobs/uploads(?:/(?<ref>[^/]*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex UploadPath();

    [GeneratedRegex("^/v2/(?<name>.+)/blobs/(?<ref>[^/]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex BlobPath();

    public override async Task HandleAsync(HttpContext context, RawRequest request)
    {
        if (_auth.ServesTokens && request.RawPath == OciAuth.TokenPath && HttpMethods.IsGet(request.Method))
        {
            await _auth.IssueTokenAsync(context, request);
            return;
        }
        if (!TryRoute(RawRequest.Decode(request.RawPath), out var route) || (route.Kind == Kind.Referrers && !Store.Config.ReferrersSupported))
        {
            await OciErrors.PageNotFound(context);
            return;
        }

        context.Response.Headers["Docker-Distribution-API-Version"] = "registry/2.0";
        if (!IsAllowed(route.Kind, request.Method))
        {
            await OciErrors.Unsupported(context);
            return;
        }
        if (_auth.Check(context, ScopeFor(route, request.Method)) is { } challenge)
        {
            context.Response.Headers.WWWAuthenticate = challenge;
            await OciErrors.Write(context, 401, "UNAUTHORIZED", "authentication required");
            return;
        }
        if (route.Kind is not (Kind.Base or Kind.Catalog) && !OciNames.IsName(route.Name))
        {
            await OciErrors.Write(context, 400, "NAME_INVALID", "invalid repository name", new { name = route.Name });
            return;
        }

        var method = request.Method;
        await (route.Kind switch
        {
            Kind.Base => Respond.Json(context, 200, new { }),
            Kind.Catalog => CatalogAsync(context, request),
            Kind.Tags => TagsAsync(context, request, route.Name),
            Kind.Referrers => ReferrersAsync(context, route.Name, route.Reference),
            Kind.Manifest when HttpMethods.IsPut(method) => PutManifestAsync(context, route.Name, route.Reference),
            Kind.Manifest when HttpMethods.IsDelete(method) => DeleteManifestAsync(context, route.Name, route.Reference),
            Kind.Manifest => GetManifestAsync(context, route.Name, route.Reference),
            Kind.Blob when HttpMethods.IsDelete(method) => DeleteBlobAsync(context, route.Name, route.Reference),
            Kind.Blob => GetBlobAsync(context, route.Name, route.Reference),
            Kind.UploadStart => StartUploadAsync(context, request, route.Name),
            _ => ContinueUploadAsync(context, request, route.Name, route.Reference),
        });
    }

    private static bool TryRoute(string path, out OciRoute route)
    {
        route = default;
        if (path is "/v2/" or "/v2")
        {
            route = new OciRoute(Kind.Base, "", "");
            return true;
        }
        if (path == "/v2/_catalog")
        {
            route = new OciRoute(Kind.Catalog, "", "");
            return true;
        }
        if (!path.StartsWith("/v2/", StringComparison.Ordinal)) return false;

        Match match;
        if ((match = TagsPath().Match(path)).Success) route = new OciRoute(Kind.Tags, match.Groups["name"].Value, "");
        else if ((match = ReferrersPath().Match(path)).Success) route = new OciRoute(Kind.Referrers, match.Groups["name"].Value, match.Groups["ref"].Value);
        else if ((match = ManifestPath().Match(path)).Success) route = new OciRoute(Kind.Manifest, match.Groups["name"].Value, match.Groups["ref"].Value);
        else if ((match = UploadPath().Match(path)).Success)
            route = new OciRoute(match.Groups["ref"].Value.Length == 0 ? Kind.UploadStart : Kind.Upload, match.Groups["name"].Value, match.Groups["ref"].Value);
        else if ((match = BlobPath().Match(path)).Success) route = new OciRoute(Kind.Blob, match.Groups["name"].Value, match.Groups["ref"].Value);
        else return false;
        return true;
    }

    private static bool IsAllowed(Kind kind, string method) => kind switch
    {
        Kind.Base => HttpMethods.IsGet(method) || HttpMethods.IsHead(method),
        Kind.Catalog or Kind.Tags or Kind.Referrers => HttpMethods.IsGet(method),
        Kind.Manifest => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method),
        Kind.Blob => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsDelete(method),
        Kind.UploadStart => HttpMethods.IsPost(method),
        _ => HttpMethods.IsGet(method) || HttpMethods.IsPatch(method) || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method),
    };

    private static string? ScopeFor(OciRoute route, string method) => route.Kind switch
    {
        Kind.Base => null,
        Kind.Catalog => "registry:catalog:*",
        _ when HttpMethods.IsGet(method) || HttpMethods.IsHead(method) => $"repository:{route.Name}:pull",
        _ when HttpMethods.IsDelete(method) && route.Kind is Kind.Manifest or Kind.Blob => $"repository:{route.Name}:delete",
        _ => $"repository:{route.Name}:pull,push",
    };

    private Task CatalogAsync(HttpContext context, RawRequest request)
    {
        if (!TryPageSize(request, DefaultCatalogPage, out var n)) return PaginationInvalid(context);
        string[] names;
        lock (Store.Gate) names = Store.Repositories.Keys.ToArray();
        var (page, more) = Page(names, request.QueryValue("last"), n);
        if (more) SetNextLink(context, "/v2/_catalog", n!.Value, page[^1]);
        return Respond.Json(context, 200, new { repositories = page });
    }

    private Task TagsAsync(HttpContext context, RawRequest request, string name)
    {
        if (!TryPageSize(request, null, out var n)) return PaginationInvalid(context);
        string[]? tags = null;
        lock (Store.Gate)
        {
            if (Store.Repositories.TryGetValue(name, out var repo)) tags = repo.Tags.Keys.ToArray();
        }
        if (tags is null) return OciErrors.NameUnknown(context, name);
        var (page, more) = Page(tags, request.QueryValue("last"), n);
        if (more) SetNextLink(context, $"/v2/{name}/tags/list", n!.Value, page[^1]);
        return Respond.Json(context, 200, new { name, tags = page });
    }

    private static (string[] Page, bool More) Page(string[] items, string? last, int? n)
    {
        Array.Sort(items, StringComparer.Ordinal);
        IEnumerable<string> rest = items;
        if (!string.IsNullOrEmpty(last)) rest = items.Where(i => string.CompareOrdinal(i, last) > 0);
        var remaining = rest.ToArray();
        if (n is not { } size || remaining.Length <= size) return (remaining, false);
        return (remaining[..size], size > 0);
    }

    private static bool TryPageSize(RawRequest request, int? fallback, out int? n)
    {
        n = fallback;
        var raw = request.QueryValue("n");
        if (string.IsNullOrEmpty(raw)) return true;
        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return false;
        n = value;
        return true;
    }

    private static void SetNextLink(HttpContext context, string path, int n, string last) =>
        context.Response.Headers.Link = $"<{path}?n={n}&last={Uri.EscapeDataString(last)}>; rel=\"next\"";

    private static Task PaginationInvalid(HttpContext context) =>
        OciErrors.Write(context, 400, "PAGINATION_NUMBER_INVALID", "invalid number of results requested");

    private static string Absolute(HttpContext context, string path) => $"http://{context.Request.Host}{path}";

    public override Task WriteFaultAsync(HttpContext context, RawRequest request, int status) => OciErrors.Fault(context, status);

    public override Task WriteFaultAsync(HttpContext context, RawRequest request, int status, string errorCode) =>
        OciErrors.Write(context, status, errorCode, "injected fault");
}
