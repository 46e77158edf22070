using System.Text.RegularExpressions;

namespace RegistryCleaner.Worker.Retention;

/// <summary>
/// A pattern as the planner's hot loop tests it: the common shapes (anything, a literal, a literal prefix followed by
/// anything, and the honoured <c>^prefix</c>, <c>^literal$</c>, <c>suffix$</c>) are answered with string comparisons;
/// every other pattern, and every value with a line break (where <c>$</c> and <c>.</c> have their own rules), goes to
/// the regular expression. The answers are the same.
/// </summary>
public sealed class TagMatcher
{
    private enum Shape { Regex, Equal, Prefix, Suffix }

    private readonly Regex _regex;
    private readonly string _literal;
    private readonly Shape _shape;

    private TagMatcher(Regex regex, string? literal, Shape shape)
    {
        _regex = regex;
        _literal = literal ?? "";
        _shape = literal is null ? Shape.Regex : shape;
    }

    public static TagMatcher For(Regex pattern)
    {
        if (!Patterns.HasPlainOptions(pattern))
            return new TagMatcher(pattern, null, Shape.Regex);
        var text = pattern.ToString();
        if (Patterns.IsAnchored(pattern))
        {
            var source = text[4..^2];
            return EndsWithAnything(source) ? new(pattern, Unescape(source[..^2]), Shape.Prefix) : new(pattern, Unescape(source), Shape.Equal);
        }
        // Honoured anchors: an ordinary search.
        if (text.StartsWith('^'))
        {
            var rest = text[1..];
            if (rest.EndsWith('$') && !rest.EndsWith(@"\$", StringComparison.Ordinal))
                return new(pattern, Unescape(rest[..^1]), Shape.Equal);
            return new(pattern, Unescape(EndsWithAnything(rest) ? rest[..^2] : rest), Shape.Prefix);
        }
        if (text.EndsWith('$') && !text.EndsWith(@"\$", StringComparison.Ordinal))
            return new(pattern, Unescape(text[..^1]), Shape.Suffix);
        return new TagMatcher(pattern, null, Shape.Regex);
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
        if (_shape == Shape.Regex || value.Contains('\n'))
            return _regex.IsMatch(value);
        return _shape switch
        {
            Shape.Prefix => value.StartsWith(_literal, StringComparison.Ordinal),
            Shape.Suffix => value.EndsWith(_literal, StringComparison.Ordinal),
            _ => value.Equals(_literal, StringComparison.Ordinal),
        };
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

    private static bool EndsWithAnything(string source) => source.EndsWith(".*", StringComparison.Ordinal) && !source.EndsWith(@"\.*", StringComparison.Ordinal);

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
