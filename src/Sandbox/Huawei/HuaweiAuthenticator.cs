using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace RegistryCleaner.Sandbox;

/// <summary>Checks an IAM token or an SDK-HMAC-SHA256 signature the way the Huawei gateway does. Returns null when accepted.</summary>
internal static class HuaweiAuthenticator
{
    public static string? Verify(HttpContext context, RawRequest request, byte[] body, SeedRegistry config)
    {
        if (config.Token is null && config.AccessKey is null) return null;

        var headers = context.Request.Headers;
        if (headers.TryGetValue("X-Auth-Token", out var token))
            return config.Token is not null && FixedEquals(token.ToString(), config.Token) ? null : "the token is invalid";

        if (!SwrSignature.TryParseAuthorization(headers.Authorization.ToString(), out var accessKey, out var signedHeaders, out var signature))
            return "no valid token or signature";
        if (config.AccessKey is null || config.SecretKey is null || !FixedEquals(accessKey, config.AccessKey))
            return "the access key is unknown";
        if (!SwrSignature.TryParseDate(headers[SwrSignature.DateHeader].ToString(), out var date))
            return "the X-Sdk-Date header is missing or malformed";
        if ((DateTimeOffset.UtcNow - date).Duration() > SwrSignature.MaxClockSkew)
            return "the X-Sdk-Date header is out of the allowed time window";
        if (!signedHeaders.Contains("x-sdk-date", StringComparer.OrdinalIgnoreCase))
            return "x-sdk-date is not a signed header";

        var values = new List<KeyValuePair<string, string>>(signedHeaders.Length);
        foreach (var name in signedHeaders)
        {
            if (!headers.TryGetValue(name, out var value)) return $"the signed header '{name}' is missing";
            foreach (var item in value) values.Add(new(name, item ?? ""));
        }

        var payloadHash = string.Equals(headers[SwrSignature.ContentSha256Header].ToString(), SwrSignature.UnsignedPayload, StringComparison.Ordinal)
            ? SwrSignature.UnsignedPayload
            : SwrSignature.PayloadHash(body);
        var canonical = SwrSignature.CanonicalRequest(request.Method, request.RawPath, request.Query, values, payloadHash);
        var expected = SwrSignature.Sign(config.SecretKey, SwrSignature.StringToSign(headers[SwrSignature.DateHeader].ToString(), canonical));
        return FixedEquals(signature.ToLowerInvariant(), expected) ? null : "verify aksk signature fail";
    }

    private static bool FixedEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
