using System.Text.RegularExpressions;
using RegistryCleaner.Worker.Validation;

namespace RegistryCleaner.Worker.Retention;

/// <summary>
/// Time-limited regular expressions under the one pattern rule (<see cref="PatternAnchors"/>): whole-name unless the
/// pattern writes its own anchors, so a pattern can neither match more than it says nor hang a run.
/// </summary>
public static class Patterns
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(200);

    public static Regex Compile(string pattern) =>
        new(PatternAnchors.Expression(pattern, "^", "$"), RegexOptions.CultureInvariant | RegexOptions.Compiled, MatchTimeout);

    /// <summary>The pattern as configured.</summary>
    public static string Source(Regex compiled) => IsAnchored(compiled) ? compiled.ToString()[4..^2] : compiled.ToString();

    /// <summary>True for a regular expression in the whole-name form <see cref="Compile"/> gives: anchored, case-sensitive.</summary>
    public static bool IsAnchored(Regex regex)
    {
        var text = regex.ToString();
        return text.StartsWith("^(?:", StringComparison.Ordinal) && text.EndsWith(")$", StringComparison.Ordinal) && HasPlainOptions(regex);
    }

    /// <summary>No option that changes what <c>^</c>, <c>$</c> or a letter match.</summary>
    public static bool HasPlainOptions(Regex regex) => (regex.Options & ~(RegexOptions.Compiled | RegexOptions.CultureInvariant)) == 0;

    /// <summary>A pattern made only of name characters names exactly one repository.</summary>
    public static bool IsLiteralName(string pattern) => pattern.Length > 0 && pattern.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '_');
}
