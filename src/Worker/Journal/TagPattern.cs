using System.Text.RegularExpressions;

namespace RegistryCleaner.Worker.Journal;

/// <summary>A history filter on tags: <c>*</c> is any run of characters, <c>?</c> one character, everything else literal.</summary>
public static class TagPattern
{
    public static Regex Compile(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromMilliseconds(100));
}
