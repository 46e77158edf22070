using System.Text.RegularExpressions;
using RegistryCleaner.Common.Validation;

namespace RegistryCleaner.Worker.Registries.Swr;

/// <summary>
/// SWR name rules (the vendor's Chinese API page). A command's repository is <c>namespace/repository</c>; the
/// repository may itself hold '/', which travels in a path as '$'.
/// </summary>
public static partial class SwrNames
{
    public const int MaxRepository = 255;

    public static string? RepositoryError(string fullName)
    {
        var slash = fullName.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == fullName.Length - 1)
            return "Repository must be 'namespace/repository' (for example acme/web) for an SWR registry.";
        var (ns, repository) = Split(fullName);
        if (!Namespace().IsMatch(ns))
            return "The SWR namespace (before the first '/') must start with a letter, then letters, digits, '_' or '-', at most 255 characters.";
        if (repository.Length > MaxRepository || !repository.Split('/').All(RepositoryPart().IsMatch))
            return "The SWR repository (after the namespace) must be parts separated by '/', each a letter or digit followed by letters, digits, '_' or '-', at most 255 characters in all.";
        return null;
    }

    /// <summary>SWR's tag rule is the OCI tag grammar; only the message names SWR.</summary>
    public static string? TagError(string tag) => NameRules.IsOciTag(tag) ? null
        : "Tag must be a letter, digit or '_', then up to 127 letters, digits, '_', '.' or '-' (SWR rule).";

    /// <summary>"acme/team/web" is namespace "acme" and repository "team/web".</summary>
    public static (string Namespace, string Repository) Split(string fullName)
    {
        var slash = fullName.IndexOf('/', StringComparison.Ordinal);
        return (fullName[..slash], fullName[(slash + 1)..]);
    }

    /// <summary>The repository as one path segment: SWR replaces '/' with '$'. Valid names need no other encoding.</summary>
    public static string PathSegment(string repository) => repository.Replace('/', '$');

    [GeneratedRegex(@"\A[A-Za-z][A-Za-z0-9_-]{0,254}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Namespace();

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9_-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryPart();
}
