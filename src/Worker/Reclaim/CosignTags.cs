using System.Text.RegularExpressions;

namespace RegistryCleaner.Worker.Reclaim;

/// <summary>cosign's tag scheme for what it attaches to an image: <c>sha256-&lt;hex&gt;.sig</c>, <c>.att</c> and <c>.sbom</c>.</summary>
public static partial class CosignTags
{
    /// <summary>The digest a cosign tag attaches to, or null for any other tag.</summary>
    public static string? SubjectOf(string tag)
    {
        var match = Scheme().Match(tag);
        return match.Success ? $"sha256:{match.Groups[1].Value}" : null;
    }

    [GeneratedRegex("^sha256-([0-9a-f]{64})\\.(sig|att|sbom)$", RegexOptions.CultureInvariant)]
    private static partial Regex Scheme();
}
