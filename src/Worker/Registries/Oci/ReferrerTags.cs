namespace RegistryCleaner.Worker.Registries.Oci;

/// <summary>
/// Tags that stand for a referrer of another manifest rather than an image of their own: cosign's
/// <c>sha256-&lt;hex&gt;.sig</c>, <c>.att</c>, <c>.sbom</c>, and the OCI 1.1 referrers tag <c>sha256-&lt;hex&gt;</c>
/// (the index a registry without the referrers API keeps instead).
/// </summary>
public static class ReferrerTags
{
    private static readonly string[] Suffixes = ["", ".sig", ".att", ".sbom"];

    /// <summary>The subject digest a tag of the scheme names (<c>sha256:&lt;hex&gt;</c>); null for any other tag.</summary>
    public static string? SubjectOf(string tag)
    {
        foreach (var (algorithm, length) in (ReadOnlySpan<(string, int)>)[("sha256", 64), ("sha512", 128)])
        {
            if (tag.Length < algorithm.Length + 1 + length || !tag.StartsWith(algorithm, StringComparison.Ordinal) || tag[algorithm.Length] != '-')
                continue;
            var hex = tag.AsSpan(algorithm.Length + 1, length);
            var suffix = tag.AsSpan(algorithm.Length + 1 + length);
            if (!IsLowerHex(hex) || !IsSuffix(suffix))
                return null;
            return $"{algorithm}:{hex}";
        }
        return null;
    }

    /// <summary>The subject of a listed tag: from its manifest's <c>subject</c> field, else from the tag scheme.</summary>
    public static string? SubjectOf(Registries.RegistryTag tag) => tag.Subject ?? SubjectOf(tag.Name);

    private static bool IsSuffix(ReadOnlySpan<char> suffix)
    {
        foreach (var known in Suffixes)
        {
            if (suffix.SequenceEqual(known))
                return true;
        }
        return false;
    }

    private static bool IsLowerHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c) && c is < 'a' or > 'f')
                return false;
        }
        return true;
    }
}
