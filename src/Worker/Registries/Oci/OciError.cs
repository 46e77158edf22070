using System.Text.Json;
using RegistryCleaner.Worker.Registries.Http;

namespace RegistryCleaner.Worker.Registries.Oci;

/// <summary>The first entry of an OCI error body <c>{"errors":[{"code","message"}]}</c>, or null when the body is not one.</summary>
public sealed record OciError(string Code, string Message)
{
    public static Task<OciError?> ReadAsync(HttpResponseMessage response, CancellationToken ct) => ErrorBody.ReadAsync(response, Parse, ct);

    public bool IsNotFound => Code is "MANIFEST_UNKNOWN" or "NAME_UNKNOWN" or "BLOB_UNKNOWN";

    public override string ToString() => Message.Length == 0 ? Code : $"{Code}: {Message}";

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";

    private static OciError? Parse(JsonElement root) =>
        ErrorBody.FirstOfErrors(root) is { } first ? new OciError(first.Code, Shorten(first.Message ?? "")) : null;
}
