using System.Security.Cryptography;
using System.Text;

namespace RegistryCleaner.Sandbox;

/// <summary>
/// The Huawei Cloud AK/SK scheme SDK-HMAC-SHA256 used by SWR and IMS, computed the way the vendor SDK signer does:
/// path segments and query parts are percent-decoded, then re-encoded keeping only RFC 3986 unreserved characters.
/// </summary>
public static class SwrSignature
{
    public const string Algorithm = "SDK-HMAC-SHA256";
    public const string DateHeader = "X-Sdk-Date";
    public const string DateFormat = "yyyyMMdd'T'HHmmss'Z'";
    public const string ContentSha256Header = "X-Sdk-Content-Sha256";
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(15);

    public static string CanonicalUri(string rawPath)
    {
        var segments = rawPath.Split('/');
        for (var i = 0; i < segments.Length; i++) segments[i] = Escape(Uri.UnescapeDataString(segments[i]));
        var uri = string.Join('/', segments);
        return uri.EndsWith('/') ? uri : uri + "/";
    }

    public static string CanonicalQuery(string rawQuery)
    {
        if (rawQuery.StartsWith('?')) rawQuery = rawQuery[1..];
        var pairs = new List<(string Key, string Value)>();
        foreach (var part in rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? part : part[..equals];
            var value = equals < 0 ? "" : part[(equals + 1)..];
            pairs.Add((Escape(QueryUnescape(key)), Escape(QueryUnescape(value))));
        }
        pairs.Sort((a, b) =>
        {
            var byKey = string.CompareOrdinal(a.Key, b.Key);
            return byKey != 0 ? byKey : string.CompareOrdinal(a.Value, b.Value);
        });
        return string.Join('&', pairs.Select(p => p.Key + "=" + p.Value));
    }

    /// <summary>Each header as "lowercase-name:trimmed-value\n", sorted by name.</summary>
    public static string CanonicalHeaders(IEnumerable<KeyValuePair<string, string>> headers)
    {
        var builder = new StringBuilder();
        foreach (var (name, value) in Normalize(headers))
            builder.Append(name).Append(':').Append(value.Trim()).Append('\n');
        return builder.ToString();
    }

    public static string SignedHeaders(IEnumerable<string> headerNames) =>
        string.Join(';', headerNames.Select(n => n.ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal));

    public static string CanonicalRequest(
        string method, string rawPath, string rawQuery, IEnumerable<KeyValuePair<string, string>> signedHeaders, string payloadHash)
    {
        var headers = Normalize(signedHeaders);
        return string.Join('\n',
            method.ToUpperInvariant(),
            CanonicalUri(rawPath),
            CanonicalQuery(rawQuery),
            CanonicalHeaders(headers),
            SignedHeaders(headers.Select(h => h.Key)),
            payloadHash);
    }

    public static string PayloadHash(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body));

    public static string StringToSign(string sdkDate, string canonicalRequest) =>
        $"{Algorithm}\n{sdkDate}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

    public static string Sign(string secretKey, string stringToSign) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(stringToSign)));

    public static string AuthorizationHeader(string accessKey, IEnumerable<string> signedHeaderNames, string signature) =>
        $"{Algorithm} Access={accessKey}, SignedHeaders={SignedHeaders(signedHeaderNames)}, Signature={signature}";

    public static bool TryParseAuthorization(string? header, out string accessKey, out string[] signedHeaders, out string signature)
    {
        accessKey = signature = "";
        signedHeaders = [];
        if (header is null || !header.StartsWith(Algorithm + " ", StringComparison.Ordinal)) return false;
        foreach (var part in header[(Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0) return false;
            var value = part[(equals + 1)..];
            switch (part[..equals])
            {
                case "Access": accessKey = value; break;
                case "SignedHeaders": signedHeaders = value.Split(';', StringSplitOptions.RemoveEmptyEntries); break;
                case "Signature": signature = value; break;
            }
        }
        return accessKey.Length > 0 && signedHeaders.Length > 0 && signature.Length > 0;
    }

    public static bool TryParseDate(string? value, out DateTimeOffset date) =>
        DateTimeOffset.TryParseExact(value, DateFormat, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out date);

    /// <summary>Percent-encodes every byte except A–Z a–z 0–9 - _ . ~ with upper-case hex.</summary>
    public static string Escape(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        var builder = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9')
                or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
                builder.Append((char)b);
            else
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }

    private static string QueryUnescape(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));

    private static List<KeyValuePair<string, string>> Normalize(IEnumerable<KeyValuePair<string, string>> headers)
    {
        var list = headers.Select(h => new KeyValuePair<string, string>(h.Key.ToLowerInvariant(), h.Value)).ToList();
        list.Sort((a, b) =>
        {
            var byName = string.CompareOrdinal(a.Key, b.Key);
            return byName != 0 ? byName : string.CompareOrdinal(a.Value, b.Value);
        });
        return list;
    }
}
