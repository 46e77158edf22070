using System.Text.Json;
using System.Text.RegularExpressions;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Registries.Http;

namespace RegistryCleaner.Worker.Registries.Oci;

/// <summary>Reads the list pages of an OCI registry (<c>{"tags":[...]}</c>, <c>{"repositories":[...]}</c>) and follows their <c>Link</c> paging.</summary>
public static partial class OciListing
{
    public const int MaxBlob = 4 * 1024 * 1024;

    public static Task<IReadOnlyList<string>> ReadTagsAsync(HttpResponseMessage response, CancellationToken ct) => ReadNamesAsync(response, "tags", ct);

    public static Task<IReadOnlyList<string>> ReadRepositoriesAsync(HttpResponseMessage response, CancellationToken ct) => ReadNamesAsync(response, "repositories", ct);

    /// <summary>
    /// The next page from <c>Link: &lt;...&gt;; rel="next"</c>, resolved against the current page; null at the end. A next
    /// page on another host is not followed (the registry's credentials would go there), and the listing fails rather
    /// than end early: a reclaim must not take a missed tag for no tag.
    /// </summary>
    public static Uri? NextLink(HttpResponseMessage response, Uri current)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
            return null;
        foreach (var link in links)
        {
            var match = NextRelation().Match(link);
            if (match.Success && Uri.TryCreate(current, match.Groups[1].Value, out var next))
                return next.Host == current.Host && next.Port == current.Port ? next
                    : throw new RegistryFailureException(FailureKind.RegistryError, null,
                        $"The registry's list of {current.AbsolutePath} continues on another host ({RegistryRedirect.Host(next)}), which is not followed; nothing is decided on an incomplete list.");
        }
        return null;
    }

    private static async Task<IReadOnlyList<string>> ReadNamesAsync(HttpResponseMessage response, string property, CancellationToken ct)
    {
        using var doc = await ResponseBody.ReadJsonAsync(response, ResponseBody.MaxListPage, ct);
        if (!doc.RootElement.TryGetProperty(property, out var names) || names.ValueKind == JsonValueKind.Null)
            return [];
        if (names.ValueKind != JsonValueKind.Array)
            throw new RegistryFailureException(FailureKind.RegistryError, (int)response.StatusCode,
                $"The registry answered a list with '{property}' that is not a list ({names.ValueKind}); nothing is decided on it.");
        return names.EnumerateArray().Where(n => n.ValueKind == JsonValueKind.String).Select(n => n.GetString()!).ToList();
    }

    [GeneratedRegex(@"<([^>]+)>\s*;\s*rel=""?next""?", RegexOptions.IgnoreCase)]
    private static partial Regex NextRelation();
}
