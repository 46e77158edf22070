using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace RegistryCleaner.Sandbox;

/// <summary>Huawei Cloud SWR management API (v2): tag and repository delete, tag and repository listing.</summary>
internal sealed class SwrApi(RegistryStore store) : RegistryApi(store)
{
    private const string Host = "swr.ap-southeast-1.myhuaweicloud.com";
    private const string DomainId = "0d3a8c5e1f2b4c6d8e9fa0b1c2d3e4f5";

    private enum Route { ListRepos, Repo, Tags, Tag }

    public override async Task HandleAsync(HttpContext context, RawRequest request)
    {
        var segments = request.RawSegments();
        if (await HuaweiGateway.AdmitAsync(context, request, Store.Config, TryRoute(request.Method, segments, out var route)) is not { } body)
            return;

        if (route == Route.ListRepos)
        {
            await ListRepositoriesAsync(context, request);
            return;
        }

        var ns = RawRequest.Decode(segments[4]);
        var pathRepo = RawRequest.Decode(segments[6]);
        var tag = route == Route.Tag ? RawRequest.Decode(segments[8]) : null;
        if (!SwrNames.Namespace().IsMatch(ns) || !SwrNames.Repository().IsMatch(pathRepo) || (tag is not null && !SwrNames.Tag().IsMatch(tag)))
        {
            await Error(context, 400, "SVCSTG.SWR.4001001", "Invalid namespace, repository or tag name");
            return;
        }

        var fullName = SwrNames.Join(ns, pathRepo);
        switch (route)
        {
            case Route.Tag:
                await DeleteTagAsync(context, fullName, tag!);
                break;
            case Route.Tags:
                await ListTagsAsync(context, request, ns, fullName);
                break;
            case Route.Repo when HttpMethods.IsDelete(request.Method):
                await DeleteRepositoryAsync(context, fullName);
                break;
            default:
                await ShowRepositoryAsync(context, ns, fullName);
                break;
        }
    }

    private static bool TryRoute(string method, string[] s, out Route route)
    {
        route = default;
        if (s.Length < 4 || s[0] != "" || s[1] != "v2" || s[2] != "manage") return false;
        if (s.Length == 4 && s[3] == "repos" && HttpMethods.IsGet(method))
        {
            route = Route.ListRepos;
            return true;
        }
        if (s.Length < 7 || s[3] != "namespaces" || s[5] != "repos" || s[4].Length == 0 || s[6].Length == 0) return false;
        (route, var ok) = s.Length switch
        {
            7 => (Route.Repo, HttpMethods.IsDelete(method) || HttpMethods.IsGet(method)),
            8 => (Route.Tags, s[7] == "tags" && HttpMethods.IsGet(method)),
            9 => (Route.Tag, s[7] == "tags" && s[8].Length > 0 && HttpMethods.IsDelete(method)),
            _ => (default, false),
        };
        return ok;
    }

    private Task DeleteTagAsync(HttpContext context, string fullName, string tag) => Store.RemoveTag(fullName, tag) switch
    {
        null => RepositoryNotFound(context),
        true => Respond.Empty(context, StatusCodes.Status204NoContent),
        false => Error(context, 404, "SVCSTG.SWR.4040002", "Image tag not found"),
    };

    private Task DeleteRepositoryAsync(HttpContext context, string fullName)
    {
        bool repoFound, empty = false;
        lock (Store.Gate)
        {
            repoFound = Store.Repositories.TryGetValue(fullName, out var repo);
            if (repoFound && repo!.Tags.Count == 0)
            {
                empty = true;
                Store.Repositories.Remove(fullName);
            }
        }
        if (!repoFound) return RepositoryNotFound(context);
        return empty
            ? Respond.Empty(context, StatusCodes.Status204NoContent)
            : Error(context, 406, "SVCSTG.SWR.4060001", "The repository still contains images and cannot be deleted");
    }

    private Task ShowRepositoryAsync(HttpContext context, string ns, string fullName)
    {
        object? item = null;
        lock (Store.Gate)
        {
            if (Store.Repositories.TryGetValue(fullName, out var repo)) item = RepositoryItem(ns, repo, 1);
        }
        return item is null ? RepositoryNotFound(context) : Respond.Json(context, 200, item);
    }

    private Task ListTagsAsync(HttpContext context, RawRequest request, string ns, string fullName)
    {
        if (!TryPaging(request, out var offset, out var limit)) return BadQuery(context);
        var column = request.QueryValue("order_column") ?? "updated_at";
        var descending = (request.QueryValue("order_type") ?? "desc") switch { "desc" => (bool?)true, "asc" => false, _ => null };
        if (descending is null || column is not ("updated_at" or "created_at" or "tag")) return BadQuery(context);
        var filter = request.QueryValue("tag");
        Comparison<TagRecord> byColumn = column switch
        {
            "created_at" => (a, b) => a.Created.CompareTo(b.Created),
            "tag" => (a, b) => string.CompareOrdinal(a.Name, b.Name),
            _ => (a, b) => a.Updated.CompareTo(b.Updated),
        };
        var sign = descending.Value ? -1 : 1;

        object[]? items = null;
        var total = 0;
        lock (Store.Gate)
        {
            if (Store.Repositories.TryGetValue(fullName, out var repo))
            {
                var tags = repo.Tags.Values
                    .Where(t => string.IsNullOrEmpty(filter) || t.Name.Contains(filter, StringComparison.Ordinal))
                    .ToList();
                tags.Sort((a, b) =>
                {
                    var order = sign * byColumn(a, b);
                    return order != 0 ? order : string.CompareOrdinal(a.Name, b.Name);
                });
                total = tags.Count;
                var repoPath = SwrNames.Split(fullName).Repository;
                items = tags.Skip(offset).Take(limit).Select(t => TagItem(ns, repoPath, repo, t)).ToArray();
            }
        }
        if (items is null) return RepositoryNotFound(context);
        SetContentRange(context, offset, items.Length, total);
        return Respond.Json(context, 200, items);
    }

    private Task ListRepositoriesAsync(HttpContext context, RawRequest request)
    {
        if (!TryPaging(request, out var offset, out var limit)) return BadQuery(context);
        var ns = request.QueryValue("namespace");
        var name = request.QueryValue("name");

        object[] items;
        int total;
        lock (Store.Gate)
        {
            var matches = Store.Repositories.Values
                .Select(r => (Parts: SwrNames.Split(r.Name), Repo: r))
                .Where(x => string.IsNullOrEmpty(ns) || x.Parts.Namespace == ns)
                .Where(x => string.IsNullOrEmpty(name) || x.Parts.Repository.Contains(name, StringComparison.OrdinalIgnoreCase))
                .OrderBy(x => x.Repo.Name, StringComparer.Ordinal)
                .ToList();
            total = matches.Count;
            items = matches.Skip(offset).Take(limit).Select(x => RepositoryItem(x.Parts.Namespace, x.Repo, total)).ToArray();
        }
        SetContentRange(context, offset, items.Length, total);
        return Respond.Json(context, 200, items);
    }

    private static bool TryPaging(RawRequest request, out int offset, out int limit)
    {
        offset = 0;
        limit = int.MaxValue;
        var rawOffset = request.QueryValue("offset");
        var rawLimit = request.QueryValue("limit");
        if (!string.IsNullOrEmpty(rawOffset) && (!int.TryParse(rawOffset, NumberStyles.None, CultureInfo.InvariantCulture, out offset)))
            return false;
        if (!string.IsNullOrEmpty(rawLimit) && (!int.TryParse(rawLimit, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 1000))
            return false;
        return true;
    }

    private static void SetContentRange(HttpContext context, int offset, int count, int total) =>
        context.Response.Headers["Content-Range"] = $"{offset}-{count}/{total}";

    private static object TagItem(string ns, string repoPath, RepositoryRecord repo, TagRecord tag) => new
    {
        id = tag.Id,
        repo_id = repo.Id,
        Tag = tag.Name,
        image_id = tag.Digest[(tag.Digest.IndexOf(':', StringComparison.Ordinal) + 1)..],
        manifest = $$"""{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":1470,"digest":"{{tag.Digest}}"},"layers":[]}""",
        digest = tag.Digest,
        schema = 2,
        path = $"{Host}/{ns}/{repoPath}:{tag.Name}",
        internal_path = $"10.125.0.198:20202/{ns}/{repoPath}:{tag.Name}",
        size = tag.Size,
        is_trusted = false,
        created = Time(tag.Created),
        updated = Time(tag.Updated),
        deleted = (string?)null,
        domain_id = DomainId,
        scanned = false,
        tag_type = 0,
    };

    private static object RepositoryItem(string ns, RepositoryRecord repo, int total)
    {
        var repoPath = SwrNames.Split(repo.Name).Repository;
        var updated = repo.Tags.Count == 0 ? repo.Created : repo.Tags.Values.Max(t => t.Updated);
        return new
        {
            id = repo.Id,
            ns_id = 1,
            name = repoPath,
            category = "other",
            description = "",
            creator_id = DomainId,
            creator_name = "sandbox",
            size = repo.Tags.Values.Sum(t => t.Size),
            is_public = false,
            num_images = repo.Tags.Count,
            num_download = 0,
            url = "",
            path = $"{Host}/{ns}/{repoPath}",
            internal_path = $"10.125.0.198:20202/{ns}/{repoPath}",
            created = Time(repo.Created),
            updated = Time(updated),
            domain_id = DomainId,
            priority = 0,
            tags = repo.Tags.Keys.Order(StringComparer.Ordinal).ToArray(),
            status = false,
            total_range = total,
        };
    }

    private static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static Task RepositoryNotFound(HttpContext context) =>
        Error(context, 404, "SVCSTG.SWR.4040001", "Repository not found");

    private static Task BadQuery(HttpContext context) =>
        Error(context, 400, "SVCSTG.SWR.4001002", "Invalid query parameter");

    private static Task Error(HttpContext context, int status, string code, string message) =>
        Respond.Json(context, status, new { errorCode = code, errorMessage = message });

    public override Task WriteFaultAsync(HttpContext context, RawRequest request, int status) => status switch
    {
        401 => HuaweiGateway.WriteUnauthorizedAsync(context, "injected"),
        429 => HuaweiGateway.WriteThrottledAsync(context),
        404 => Error(context, 404, "SVCSTG.SWR.4040002", "Image tag not found"),
        406 => Error(context, 406, "SVCSTG.SWR.4060001", "The repository still contains images and cannot be deleted"),
        >= 500 => Error(context, status, "SVCSTG.SWR.5000001", "Internal server error"),
        _ => Error(context, status, $"SVCSTG.SWR.{status}0001", "Request failed"),
    };
}
