using System.Security.Cryptography;
using System.Text;

namespace RegistryCleaner.Sandbox;

/// <summary>NAVER Cloud API gateway signature v2: Base64(HMAC-SHA256(secretKey, "{METHOD} {path?query}\n{timestamp}\n{accessKey}")).</summary>
public static class NcrSignature
{
    public const string TimestampHeader = "x-ncp-apigw-timestamp";
    public const string AccessKeyHeader = "x-ncp-iam-access-key";
    public const string SignatureHeader = "x-ncp-apigw-signature-v2";
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <param name="pathWithQuery">The request target exactly as sent, e.g. "/ncr/api/v2/repositories/myreg/hello%2Fworld/tags/v1".</param>
    public static string StringToSign(string method, string pathWithQuery, string timestamp, string accessKey) =>
        $"{method.ToUpperInvariant()} {pathWithQuery}\n{timestamp}\n{accessKey}";

    public static string Sign(string secretKey, string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(stringToSign)));

    public static string Timestamp(DateTimeOffset time) =>
        time.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
}
