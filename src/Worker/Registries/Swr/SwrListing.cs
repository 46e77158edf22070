using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using RegistryCleaner.Worker.Registries.Http;

namespace RegistryCleaner.Worker.Registries.Swr;

/// <summary>Reads SWR list pages: a JSON array, with the total in <c>Content-Range: {offset}-{count}/{total}</c>.</summary>
public static partial class SwrListing
{
    public static async Task<List<RegistryTag>> ReadTagsAsync(HttpResponseMessage response, CancellationToken ct)
    {
        using var doc = await ResponseBody.ReadJsonAsync(response, ResponseBody.MaxListPage, ct);
        var tags = new List<RegistryTag>();
        foreach (var item in Items(doc.RootElement))
        {
            if ((ResponseBody.Text(item, "Tag") ?? ResponseBody.Text(item, "tag")) is not { Length: > 0 } name)
                continue;
            tags.Add(new RegistryTag(name, ResponseBody.Text(item, "digest"), Latest(Time(item, "created"), Time(item, "updated"))));
        }
        return tags;
    }

    /// <summary>Each repository as <c>namespace/name</c>. An item whose namespace cannot be established is left out.</summary>
    public static async Task<List<string>> ReadRepositoriesAsync(HttpResponseMessage response, CancellationToken ct)
    {
        using var doc = await ResponseBody.ReadJsonAsync(response, ResponseBody.MaxListPage, ct);
        var repositories = new List<string>();
        foreach (var item in Items(doc.RootElement))
        {
            if (ResponseBody.Text(item, "name") is not { Length: > 0 } raw)
                continue;
            var name = raw.Replace('$', '/');
            if ((ResponseBody.Text(item, "namespace") ?? NamespaceFromPath(ResponseBody.Text(item, "path"), name)) is { Length: > 0 } ns)
                repositories.Add($"{ns}/{name}");
        }
        return repositories;
    }

    /// <summary>The total from Content-Range, or null when the header is absent or not in SWR's form.</summary>
    public static int? Total(HttpResponseMessage response)
    {
        if (!response.Content.Headers.NonValidated.TryGetValues("Content-Range", out var values))
            return null;
        var match = ContentRange().Match(values.ToString());
        return match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var total) ? total : null;
    }

    /// <summary>The list gives no namespace field; its <c>path</c> is <c>host/namespace/name</c>.</summary>
    private static string? NamespaceFromPath(string? path, string name)
    {
        var firstSlash = path?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (path is null || firstSlash < 0)
            return null;
        var rest = path[(firstSlash + 1)..];
        return rest.EndsWith("/" + name, StringComparison.Ordinal) ? rest[..^(name.Length + 1)] : null;
    }

    private static IEnumerable<JsonElement> Items(JsonElement root) =>
        root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object) : [];


    /// <summary>A tag pushed again is as young as its last push: the later of <c>created</c> and <c>updated</c> is its age,
    /// so an age rule never takes a tag that was just re-pushed.</summary>
    private static DateTimeOffset? Latest(DateTimeOffset? created, DateTimeOffset? updated) =>
        created is { } c && updated is { } u ? (c > u ? c : u) : created ?? updated;

    /// <summary>SWR times are UTC, with or without a zone marker; anything unparseable is undated.</summary>
    private static DateTimeOffset? Time(JsonElement item, string property) => ResponseBody.UtcTime(ResponseBody.Text(item, property));

    [GeneratedRegex(@"\A\s*\d+-\d+/(\d+)\s*\z", RegexOptions.CultureInvariant)]
    private static partial Regex ContentRange();
}
