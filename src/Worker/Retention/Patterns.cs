using System.Text.RegularExpressions;

namespace RegistryCleaner.Worker.Retention;

/// <summary>Anchored, time-limited regular expressions, so a pattern can neither match more than it says nor hang a run.</summary>
public static class Patterns
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(200);

    public static Regex Compile(string pattern) =>
        new($"^(?:{pattern})$", RegexOptions.CultureInvariant | RegexOptions.Compiled, MatchTimeout);

    public static string Source(Regex anchored)
    {
        var text = anchored.ToString();
        return text.StartsWith("^(?:", StringComparison.Ordinal) && text.EndsWith(")$", StringComparison.Ordinal) ? text[4..^2] : text;
    }

    /// <summary>A pattern made only of name characters names exactly one repository.</summary>
    public static bool IsLiteralName(string pattern) => pattern.Length > 0 && pattern.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '_');
}
