using System.Text.RegularExpressions;

namespace RegistryCleaner.Worker.Registries.Oci;

/// <summary>The OCI digest grammar (<c>algorithm:encoded</c>); a sha256 digest is 64 lowercase hex digits.</summary>
public static partial class OciDigest
{
    private const int MaxLength = 200;

    public static bool IsValid(string? digest) =>
        digest is { Length: > 0 and <= MaxLength } && Grammar().IsMatch(digest)
        && (!digest.StartsWith("sha256:", StringComparison.Ordinal) || Sha256().IsMatch(digest));

    [GeneratedRegex(@"\A[a-z0-9]+(?:[+._-][a-z0-9]+)*:[A-Za-z0-9=_-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();

    [GeneratedRegex(@"\Asha256:[a-f0-9]{64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Sha256();
}
