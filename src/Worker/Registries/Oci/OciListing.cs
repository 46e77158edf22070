using System.Text.Json;
using RegistryCleaner.Worker.Registries.Http;

namespace RegistryCleaner.Worker.Registries.Oci;

/// <summary>Reads the repository catalog of an OCI registry.</summary>
public static class OciListing
{
    private const int MaxDocument = 4 * 1024 * 1024;

    public static async Task<IReadOnlyList<string>> ReadRepositoriesAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await ResponseBody.ReadLimitedAsync(response, 16 * 1024 * 1024, ct);
        using var doc = JsonDocument.Parse(body);
        if (!doc.RootElement.TryGetProperty("repositories", out var repositories) || repositories.ValueKind != JsonValueKind.Array)
            return [];
        return repositories.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!).ToList();
    }

    public static int MaxBlob => MaxDocument;
}
