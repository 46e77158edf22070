using System.Text.RegularExpressions;
using RegistryCleaner.Worker.Matching;

namespace RegistryCleaner.Worker.Journal;

/// <summary>
/// A history filter on tags: <c>*</c> is any run of characters, <c>?</c> one character, everything else literal; it
/// matches the whole tag, anchored as every pattern of the worker is (<see cref="PatternAnchors"/>).
/// </summary>
public static class TagPattern
{
    public static Regex Compile(string pattern) =>
        new(PatternAnchors.Expression(Glob(pattern), PatternAnchoring.WholeName),
            RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromMilliseconds(100));

    private static string Glob(string pattern) =>
        Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal);
}
