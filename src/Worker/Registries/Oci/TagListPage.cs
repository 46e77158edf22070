using System.Text.Json;
using System.Text.RegularExpressions;
using RegistryCleaner.Worker.Registries.Http;

namespace RegistryCleaner.Worker.Registries.Oci;

public static partial class TagListPage
{
    private const int MaxPage = 16 * 1024 * 1024;

    public static async Task<IReadOnlyList<string>> ReadTagsAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await ResponseBody.ReadLimitedAsync(response, MaxPage, ct);
        using var doc = JsonDocument.Parse(body);
        if (!doc.RootElement.TryGetProperty("tags", out var tags) || tags.ValueKind != JsonValueKind.Array)
            return [];
        return tags.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!).ToList();
    }

    /// <summary>The next page from <c>Link: &lt;...&gt;; rel="next"</c>, resolved against the current page; null at the end.</summary>
    public static Uri? NextLink(HttpResponseMessage response, Uri current)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
            return null;
        foreach (var link in links)
        {
            var match = NextRelation().Match(link);
            if (match.Success && Uri.TryCreate(current, match.Groups[1].Value, out var next))
                return next.Host == current.Host && next.Port == current.Port ? next : null;
        }
        return null;
    }

    [GeneratedRegex(@"<([^>]+)>\s*;\s*rel=""?next""?", RegexOptions.IgnoreCase)]
    private static partial Regex NextRelation();
}
