using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RegistryCleaner.Worker.Registries.Http.Signing;

/// <summary>
/// Huawei Cloud's AK/SK request signature (<c>SDK-HMAC-SHA256</c>), used by SWR and IMS. Every part is computed
/// from the request as it goes on the wire: path segments and query parts are decoded, then re-encoded keeping
/// only RFC 3986 unreserved characters.
/// </summary>
public static class SdkHmacSha256
{
    public const string Algorithm = "SDK-HMAC-SHA256";
    public const string DateHeader = "X-Sdk-Date";

    public static string FormatDate(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    public static SdkSignature Compute(string method, Uri uri, IEnumerable<KeyValuePair<string, string>> headers, string payloadHash,
        string sdkDate, string accessKey, string secretKey)
    {
        var sorted = headers
            .Select(h => new KeyValuePair<string, string>(h.Key.ToLowerInvariant(), h.Value.Trim()))
            .OrderBy(h => h.Key, StringComparer.Ordinal)
            .ThenBy(h => h.Value, StringComparer.Ordinal)
            .ToList();
        var signedHeaders = string.Join(';', sorted.Select(h => h.Key).Distinct());
        var canonicalRequest = string.Join('\n',
            method.ToUpperInvariant(),
            CanonicalUri(uri.AbsolutePath),
            CanonicalQuery(uri.Query),
            string.Concat(sorted.Select(h => $"{h.Key}:{h.Value}\n")),
            signedHeaders,
            payloadHash);
        var stringToSign = $"{Algorithm}\n{sdkDate}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var signature = Hex(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(stringToSign)));
        return new SdkSignature(canonicalRequest, stringToSign, signature,
            $"{Algorithm} Access={accessKey}, SignedHeaders={signedHeaders}, Signature={signature}");
    }

    public static string PayloadHash(ReadOnlySpan<byte> body) => Hex(SHA256.HashData(body));

    /// <summary>Each segment of the path as sent, decoded and re-encoded; always ends with '/'.</summary>
    public static string CanonicalUri(string escapedPath)
    {
        var uri = string.Join('/', escapedPath.Split('/').Select(s => Escape(Uri.UnescapeDataString(s))));
        return uri.EndsWith('/') ? uri : uri + "/";
    }

    /// <summary><c>key=value</c> pairs of the query as sent, re-encoded and sorted by key, then value.</summary>
    public static string CanonicalQuery(string escapedQuery)
    {
        var pairs = escapedQuery.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(part =>
            {
                var equals = part.IndexOf('=', StringComparison.Ordinal);
                var key = equals < 0 ? part : part[..equals];
                var value = equals < 0 ? "" : part[(equals + 1)..];
                return (Key: Escape(QueryUnescape(key)), Value: Escape(QueryUnescape(value)));
            })
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal);
        return string.Join('&', pairs.Select(p => $"{p.Key}={p.Value}"));
    }

    /// <summary>Percent-encodes every UTF-8 byte except A–Z a–z 0–9 - _ . ~, with upper-case hex.</summary>
    public static string Escape(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
                builder.Append((char)b);
            else
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }

    private static string QueryUnescape(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}

/// <summary>The intermediate strings and the result of one signature. Holds a signature: never log it.</summary>
public sealed class SdkSignature(string canonicalRequest, string stringToSign, string signature, string authorization)
{
    public string CanonicalRequest { get; } = canonicalRequest;
    public string StringToSign { get; } = stringToSign;
    public string Signature { get; } = signature;
    public string Authorization { get; } = authorization;
}
