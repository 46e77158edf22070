using System.Text.Json;
using RegistryCleaner.Worker.Registries.Http;

namespace RegistryCleaner.Worker.Registries.Ncr;

/// <summary>
/// An NCR error body. The registry API answers <c>{"errors":[{"code","message"}]}</c>; the API gateway in front of it
/// answers <c>{"error":{"errorCode","message","details"}}</c>, which says nothing about the registry's contents.
/// </summary>
public sealed record NcrError(string Code, string Message, bool FromGateway)
{
    public static Task<NcrError?> ReadAsync(HttpResponseMessage response, CancellationToken ct) => ErrorBody.ReadAsync(response, Parse, ct);

    public override string ToString() => FromGateway ? $"API gateway error {Code}: {Message}" : Message.Length == 0 ? Code : $"{Code}: {Message}";


    private static NcrError? Parse(JsonElement root)
    {
        if (ErrorBody.FirstOfErrors(root) is { } first)
            return new NcrError(first.Code, first.Message ?? "", FromGateway: false);
        if (root.TryGetProperty("error", out var gateway) && gateway.ValueKind == JsonValueKind.Object && ResponseBody.Text(gateway, "errorCode") is { } gatewayCode)
            return new NcrError(gatewayCode, ResponseBody.Text(gateway, "message") ?? ResponseBody.Text(gateway, "details") ?? "", FromGateway: true);
        return null;
    }
}
