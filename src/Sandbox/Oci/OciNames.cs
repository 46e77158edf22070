using System.Text.RegularExpressions;

namespace RegistryCleaner.Sandbox;

/// <summary>The OCI distribution grammar for repository names, tags and digests.</summary>
internal static partial class OciNames
{
    [GeneratedRegex(@"^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex NameRegex();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex TagRegex();

    [GeneratedRegex("^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex DigestRegex();

    public static bool IsName(string name) => name.Length <= 255 && NameRegex().IsMatch(name);

    public static bool IsTag(string tag) => TagRegex().IsMatch(tag);

    public static bool IsDigest(string digest) =>
        digest.Length <= 200 && DigestRegex().IsMatch(digest)
        && (!digest.StartsWith("sha256:", StringComparison.Ordinal) || Digests.IsValidSha256(digest));
}
