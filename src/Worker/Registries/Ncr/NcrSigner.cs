using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using RegistryCleaner.Worker.Registries.Http;

namespace RegistryCleaner.Worker.Registries.Ncr;

/// <summary>
/// NAVER Cloud API gateway signature v2: Base64(HMAC-SHA256(secretKey, "{METHOD} {path-with-query}\n{timestamp}\n{accessKey}")),
/// over the path exactly as sent and a timestamp taken afresh for every attempt (the gateway allows 5 minutes of skew).
/// </summary>
public sealed class NcrSigner(string accessKey, string secretKey, TimeProvider time) : IRequestAuthenticator
{
    public const string TimestampHeader = "x-ncp-apigw-timestamp";
    public const string AccessKeyHeader = "x-ncp-iam-access-key";
    public const string SignatureHeader = "x-ncp-apigw-signature-v2";

    public static string StringToSign(string method, string pathWithQuery, string timestamp, string accessKey) =>
        $"{method.ToUpperInvariant()} {pathWithQuery}\n{timestamp}\n{accessKey}";

    public static string Sign(string secretKey, string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(stringToSign)));

    public ValueTask ApplyAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var uri = request.RequestUri ?? throw new InvalidOperationException("A request to sign needs an absolute URI.");
        var timestamp = time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        // PathAndQuery is the request target the handler writes, %2F included.
        var signature = Sign(secretKey, StringToSign(request.Method.Method, uri.PathAndQuery, timestamp, accessKey));
        Set(request, TimestampHeader, timestamp);
        Set(request, AccessKeyHeader, accessKey);
        Set(request, SignatureHeader, signature);
        return ValueTask.CompletedTask;
    }

    /// <summary>Signs once more with a fresh timestamp after a 401; the sender asks only once per attempt, so a second 401 is final.</summary>
    public ValueTask<bool> RefreshAfterUnauthorizedAsync(HttpResponseMessage response, CancellationToken ct) => ValueTask.FromResult(true);

    private static void Set(HttpRequestMessage request, string header, string value)
    {
        request.Headers.Remove(header);
        request.Headers.TryAddWithoutValidation(header, value);
    }
}
