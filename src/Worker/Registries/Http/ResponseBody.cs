using System.Globalization;
using System.Text.Json;

namespace RegistryCleaner.Worker.Registries.Http;

public static class ResponseBody
{
    /// <summary>The most a page of a list may hold.</summary>
    public const int MaxListPage = 16 * 1024 * 1024;

    /// <summary>Reads at most <paramref name="limit"/> bytes, so a hostile or broken server cannot exhaust memory.</summary>
    public static async Task<byte[]> ReadLimitedAsync(HttpResponseMessage response, int limit, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
                throw new InvalidDataException($"The registry's answer is larger than {limit} bytes.");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>The body as JSON, read within <paramref name="limit"/> bytes.</summary>
    public static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, int limit, CancellationToken ct) =>
        JsonDocument.Parse(await ReadLimitedAsync(response, limit, ct));

    /// <summary>A string property of a JSON object; null when it is absent or not a string.</summary>
    public static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A time in a list answer: UTC when it carries no zone; null when it is absent or cannot be read.</summary>
    public static DateTimeOffset? UtcTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) ? time : null;
}
