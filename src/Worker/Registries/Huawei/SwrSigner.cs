using RegistryCleaner.Worker.Registries.Http;
using RegistryCleaner.Worker.Registries.Http.Signing;

namespace RegistryCleaner.Worker.Registries.Huawei;

/// <summary>
/// Huawei Cloud credentials for SWR and IMS: the IAM token in <c>X-Auth-Token</c> when one is configured, otherwise
/// an AK/SK signature computed afresh for every attempt (the gateway rejects a date more than 15 minutes off).
/// </summary>
public sealed class SwrSigner(string? accessKey, string? secretKey, string? token, TimeProvider time) : IRequestAuthenticator
{
    public const string TokenHeader = "X-Auth-Token";

    private bool UsesToken => !string.IsNullOrEmpty(token);

    public async ValueTask ApplyAsync(HttpRequestMessage request, CancellationToken ct)
    {
        if (UsesToken)
        {
            request.Headers.Remove(TokenHeader);
            request.Headers.TryAddWithoutValidation(TokenHeader, token);
            return;
        }

        var uri = request.RequestUri ?? throw new InvalidOperationException("A request to sign needs an absolute URI.");
        var host = HostHeader.For(uri);
        var date = SdkHmacSha256.FormatDate(time.GetUtcNow());
        request.Headers.Host = host;
        request.Headers.Remove(SdkHmacSha256.DateHeader);
        request.Headers.TryAddWithoutValidation(SdkHmacSha256.DateHeader, date);

        var headers = new List<KeyValuePair<string, string>> { new("host", host), new("x-sdk-date", date) };
        byte[] body = [];
        if (request.Content is { } content)
        {
            body = await content.ReadAsByteArrayAsync(ct);
            if (content.Headers.ContentType is { } contentType)
                headers.Add(new("content-type", contentType.ToString()));
        }

        var signature = SdkHmacSha256.Compute(request.Method.Method, uri, headers, SdkHmacSha256.PayloadHash(body), date, accessKey ?? "", secretKey ?? "");
        request.Headers.Remove("Authorization");
        request.Headers.TryAddWithoutValidation("Authorization", signature.Authorization);
    }

    /// <summary>
    /// A signature is re-computed (fresh date) once after a 401; the sender asks only once per attempt, so a second
    /// 401 is final. A token cannot be refreshed here, so its 401 is final at once.
    /// </summary>
    public ValueTask<bool> RefreshAfterUnauthorizedAsync(HttpResponseMessage response, CancellationToken ct) =>
        ValueTask.FromResult(!UsesToken);
}
