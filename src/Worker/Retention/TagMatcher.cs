using System.Text.RegularExpressions;

namespace RegistryCleaner.Worker.Retention;

/// <summary>
/// An anchored pattern as the planner's hot loop tests it: the common shapes (anything, a literal, a literal prefix
/// followed by anything) are answered with string comparisons; every other pattern, and every value with a line break
/// (where <c>$</c> and <c>.</c> have their own rules), goes to the regular expression. The answers are the same.
/// </summary>
public sealed class TagMatcher
{
    private readonly Regex _regex;
    private readonly string? _literal;
    private readonly bool _prefixOnly;

    private TagMatcher(Regex regex, string? literal, bool prefixOnly)
    {
        _regex = regex;
        _literal = literal;
        _prefixOnly = prefixOnly;
    }

    public static TagMatcher For(Regex anchored)
    {
        if (!Patterns.IsAnchored(anchored))
            return new TagMatcher(anchored, null, false);
        var source = Patterns.Source(anchored);
        var prefixOnly = source.EndsWith(".*", StringComparison.Ordinal) && !source.EndsWith(@"\.*", StringComparison.Ordinal);
        var literal = Unescape(prefixOnly ? source[..^2] : source);
        return new TagMatcher(anchored, literal, prefixOnly);
    }

    public static TagMatcher[] For(IReadOnlyList<Regex> patterns)
    {
        var matchers = new TagMatcher[patterns.Count];
        for (var i = 0; i < matchers.Length; i++)
            matchers[i] = For(patterns[i]);
        return matchers;
    }

    public bool IsMatch(string value)
    {
        if (_literal is null || value.Contains('\n'))
            return _regex.IsMatch(value);
        return _prefixOnly ? value.StartsWith(_literal, StringComparison.Ordinal) : value.Equals(_literal, StringComparison.Ordinal);
    }

    public static bool Any(TagMatcher[] matchers, string value)
    {
        foreach (var matcher in matchers)
        {
            if (matcher.IsMatch(value))
                return true;
        }
        return false;
    }

    /// <summary>The text a pattern made of name characters and escaped dots stands for; null for anything else.</summary>
    private static string? Unescape(string pattern)
    {
        var literal = new System.Text.StringBuilder(pattern.Length);
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
                literal.Append(c);
            else if (c == '\\' && i + 1 < pattern.Length && pattern[i + 1] == '.')
                literal.Append(pattern[++i]);
            else
                return null;
        }
        return literal.ToString();
    }
}
