using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using RegistryCleaner.Worker.Registries.Http;

namespace RegistryCleaner.Worker.Registries.Ncr;

/// <summary>Reads NCR list pages: <c>{count, next, previous, results:[...]}</c>, where <c>next</c> is the next page number.</summary>
public static partial class NcrListing
{
    public static async Task<(List<T> Items, int? Next)> ReadPageAsync<T>(HttpResponseMessage response, Func<JsonElement, T?> select, CancellationToken ct)
        where T : class
    {
        using var doc = await ResponseBody.ReadJsonAsync(response, ResponseBody.MaxListPage, ct);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new JsonException("An NCR list page is a JSON object.");
        var items = root.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array
            ? results.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.Object).Select(select).OfType<T>().ToList()
            : [];
        return (items, NextPage(root));
    }

    public static RegistryTag? Tag(JsonElement item) =>
        ResponseBody.Text(item, "name") is { Length: > 0 } name ? new RegistryTag(name, ResponseBody.Text(item, "digest"), Time(item, "last_updated")) : null;

    public static string? ImageName(JsonElement item) => ResponseBody.Text(item, "name") is { Length: > 0 } name ? name : null;

    /// <summary>A page number, a numeric string, or a URL carrying <c>page=</c>; null at the last page.</summary>
    private static int? NextPage(JsonElement root)
    {
        if (!root.TryGetProperty("next", out var next))
            return null;
        if (next.ValueKind == JsonValueKind.Number && next.TryGetInt32(out var number))
            return number;
        if (next.ValueKind != JsonValueKind.String)
            return null;
        var text = next.GetString()!;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out number))
            return number;
        var match = PageParameter().Match(text);
        return match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out number) ? number : null;
    }

    /// <summary><c>last_updated</c> as epoch milliseconds (number or digits) or an ISO time; anything else is undated.</summary>
    private static DateTimeOffset? Time(JsonElement item, string property)
    {
        if (!item.TryGetProperty(property, out var value))
            return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var ms))
            return FromMilliseconds(ms);
        if (value.ValueKind != JsonValueKind.String)
            return null;
        var text = value.GetString();
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ms))
            return FromMilliseconds(ms);
        return ResponseBody.UtcTime(text);
    }

    private static DateTimeOffset? FromMilliseconds(long ms) =>
        ms >= 0 && ms <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds() ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;


    [GeneratedRegex(@"[?&]page=(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex PageParameter();
}
