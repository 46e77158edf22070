using System.Text.RegularExpressions;
using RegistryCleaner.Worker.Matching;
namespace RegistryCleaner.Worker.Retention;

/// <summary>
/// Time-limited regular expressions under the one pattern rule (<see cref="PatternAnchors"/>): whole names, a leading
/// <c>^</c> for "starts with", a trailing <c>$</c> for "ends with", so a pattern can neither match more than it says
/// nor hang a run.
/// </summary>
public static class Patterns
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(200);

    /// <summary>False with the reason, in words with a fix, when the rule refuses the pattern.</summary>
    public static bool TryCompile(string pattern, out NamePattern compiled, out string refusal) =>
        NamePattern.TryCreate(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled, MatchTimeout, out compiled, out refusal);

    /// <summary>Throws <see cref="ArgumentException"/> with the reason when the rule refuses the pattern.</summary>
    public static NamePattern Compile(string pattern) =>
        TryCompile(pattern, out var compiled, out var refusal) ? compiled : throw new ArgumentException($"'{pattern}' {refusal}", nameof(pattern));

    /// <summary>The pattern as configured.</summary>
    public static string Source(Regex compiled) => compiled is NamePattern named ? named.Source : compiled.ToString();

    /// <summary>No option that changes what <c>^</c>, <c>$</c> or a letter match.</summary>
    public static bool HasPlainOptions(Regex regex) => (regex.Options & ~(RegexOptions.Compiled | RegexOptions.CultureInvariant)) == 0;

    /// <summary>A pattern made only of name characters names exactly one repository.</summary>
    public static bool IsLiteralName(string pattern) => pattern.Length > 0 && pattern.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '_');
}
