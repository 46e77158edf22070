using System.Text.RegularExpressions;
using RegistryCleaner.Worker.Matching;
namespace RegistryCleaner.Worker.Retention;

/// <summary>
/// A pattern as the planner's hot loop tests it: the common shapes (a literal, a literal followed by anything,
/// <c>^prefix</c>, <c>suffix$</c>) are answered with string comparisons; every other pattern, and every value with a
/// line break (which <c>.</c> does not match), goes to the regular expression. The answers are the same.
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
        if (pattern is not NamePattern named || !Patterns.HasPlainOptions(pattern))
            return new TagMatcher(pattern, null, Shape.Regex);
        var body = named.Body;
        return named.Anchoring switch
        {
            PatternAnchoring.StartsWith => new(pattern, Unescape(EndsWithAnything(body) ? body[..^2] : body), Shape.Prefix),
            PatternAnchoring.EndsWith => new(pattern, Unescape(body), Shape.Suffix),
            _ when EndsWithAnything(body) => new(pattern, Unescape(body[..^2]), Shape.Prefix),
            _ => new(pattern, Unescape(body), Shape.Equal),
        };
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
