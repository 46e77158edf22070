using System.Security.Cryptography;
using System.Text;

namespace RegistryCleaner.Sandbox;

internal static class Digests
{
    public static string Sha256(ReadOnlySpan<byte> bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string Sha256(string text) => Sha256(Encoding.UTF8.GetBytes(text));

    public static bool IsDigest(string reference) => reference.Contains(':', StringComparison.Ordinal);

    public static bool IsValidSha256(string digest) =>
        digest.Length == 71 && digest.StartsWith("sha256:", StringComparison.Ordinal)
        && digest.AsSpan(7).IndexOfAnyExcept("0123456789abcdef") < 0;
}
