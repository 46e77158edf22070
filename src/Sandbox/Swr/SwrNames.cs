using System.Text.RegularExpressions;

namespace RegistryCleaner.Sandbox;

/// <summary>SWR name rules; in a path the repository carries '/' as '$'.</summary>
internal static partial class SwrNames
{
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,254}$", RegexOptions.CultureInvariant)]
    public static partial Regex Namespace();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_$-]{0,254}$", RegexOptions.CultureInvariant)]
    public static partial Regex Repository();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", RegexOptions.CultureInvariant)]
    public static partial Regex Tag();

    /// <summary>Splits "acme/team/web" into namespace "acme" and repository "team/web".</summary>
    public static (string Namespace, string Repository) Split(string fullName)
    {
        var slash = fullName.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? ("", fullName) : (fullName[..slash], fullName[(slash + 1)..]);
    }

    public static string Join(string ns, string pathRepository) => ns + "/" + pathRepository.Replace('$', '/');
}
