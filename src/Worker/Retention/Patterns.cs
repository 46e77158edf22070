using System.Text.RegularExpressions;

namespace RegistryCleaner.Worker.Retention;

/// <summary>Anchored, time-limited regular expressions, so a pattern can neither match more than it says nor hang a run.</summary>
public static class Patterns
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(200);

    public static Regex Compile(string pattern) =>
        new($"^(?:{pattern})$", RegexOptions.CultureInvariant | RegexOptions.Compiled, MatchTimeout);

    public static string Source(Regex anchored) => IsAnchored(anchored) ? anchored.ToString()[4..^2] : anchored.ToString();

    /// <summary>True for a regular expression in the form <see cref="Compile"/> gives: anchored, case-sensitive.</summary>
    public static bool IsAnchored(Regex regex)
    {
        var text = regex.ToString();
        return text.StartsWith("^(?:", StringComparison.Ordinal) && text.EndsWith(")$", StringComparison.Ordinal)
            && (regex.Options & RegexOptions.IgnoreCase) == 0;
    }

    /// <summary>A pattern made only of name characters names exactly one repository.</summary>
    public static bool IsLiteralName(string pattern) => pattern.Length > 0 && pattern.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '_');
}
