using System.Text.RegularExpressions;

namespace RegistryCleaner.Worker.Matching;

/// <summary>How a pattern is tied to the name it is matched against.</summary>
public enum PatternAnchoring
{
    /// <summary>The pattern matches the whole name (no anchor, or both <c>^</c> and <c>$</c>).</summary>
    WholeName,

    /// <summary>A leading <c>^</c>: the name starts with a match of the pattern.</summary>
    StartsWith,

    /// <summary>A trailing <c>$</c>: the name ends with a match of the pattern.</summary>
    EndsWith,
}

/// <summary>
/// The one rule for every configured pattern (retention <c>Repositories</c>, <c>Tags</c>, <c>Protect</c>; registry
/// <c>AllowedRepositories</c>, <c>ProtectedTags</c>; <c>Protection:Tags</c>): a pattern matches the whole name. A
/// <c>^</c> opening the whole pattern means "starts with", a <c>$</c> closing it "ends with", both "exactly". Any other
/// anchor (<c>^</c>, <c>$</c>, <c>\A</c>, <c>\z</c>, <c>\Z</c>, <c>\G</c> inside the pattern, in one branch of an
/// alternation, in a group) cannot mean what it seems to under that rule, and is refused with the fix.
/// </summary>
public static class PatternAnchors
{
    /// <summary>Splits a pattern into its body and anchoring; false with the reason (in words, with a fix) when the rule refuses it.</summary>
    public static bool TryParse(string pattern, out string body, out PatternAnchoring anchoring, out string refusal)
    {
        var leading = pattern.StartsWith('^');
        var rest = leading ? pattern[1..] : pattern;
        var trailing = EndsWithAnchor(rest);
        body = trailing ? rest[..^1] : rest;
        anchoring = leading == trailing ? PatternAnchoring.WholeName : leading ? PatternAnchoring.StartsWith : PatternAnchoring.EndsWith;
        refusal = "";
        if (InnerAnchor(body) is { } inner)
        {
            refusal = $"uses the anchor {inner} inside the pattern. Patterns match whole names: only a ^ opening the whole pattern (starts with) "
                + $"or a $ closing it (ends with) is accepted. {FixFor(body)}";
            return false;
        }
        if ((leading || trailing) && HasTopLevelAlternation(body))
        {
            refusal = $"anchors only one branch of its alternation. A ^ or $ applies to the whole pattern: write '{(leading ? "^" : "")}(?:{body}){(trailing ? "$" : "")}' "
                + "to anchor every branch, or drop the anchor and write each branch as a whole name (e.g. 'pr-.*|release' for pr-1 and release).";
            return false;
        }
        try
        {
            _ = new Regex(body, RegexOptions.CultureInvariant);
        }
        catch (ArgumentException e)
        {
            refusal = $"is not a valid regular expression: {e.Message}";
            return false;
        }
        return true;
    }

    /// <summary>The regular expression a parsed pattern stands for: always tied to both ends of the name (<c>\A</c>, <c>\z</c>).</summary>
    public static string Expression(string body, PatternAnchoring anchoring) => anchoring switch
    {
        PatternAnchoring.StartsWith => $@"\A(?:{body}).*\z",
        PatternAnchoring.EndsWith => $@"\A.*(?:{body})\z",
        _ => $@"\A(?:{body})\z",
    };

    /// <summary>The pattern without its anchors, offered in the three forms the rule gives.</summary>
    private static string FixFor(string body)
    {
        var plain = WithoutAnchors(body);
        return $"Write '^(?:{plain})' for names that start with it, '(?:{plain})$' for names that end with it, or '{plain}' for the whole name.";
    }

    private static string WithoutAnchors(string text)
    {
        var result = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                if (text[i + 1] is not ('A' or 'z' or 'Z' or 'G'))
                    result.Append(text[i]).Append(text[i + 1]);
                i++;
            }
            else if (text[i] == '[')
            {
                var end = EndOfClass(text, i);
                result.Append(text, i, Math.Min(end + 1, text.Length) - i);
                i = end;
            }
            else if (text[i] is not ('^' or '$'))
                result.Append(text[i]);
        }
        return result.ToString();
    }

    /// <summary>A <c>$</c> ending the text that is no escaped dollar (preceded by an even number of backslashes).</summary>
    private static bool EndsWithAnchor(string text)
    {
        if (!text.EndsWith('$'))
            return false;
        var backslashes = 0;
        for (var i = text.Length - 2; i >= 0 && text[i] == '\\'; i--)
            backslashes++;
        return backslashes % 2 == 0 && !InsideClassAtEnd(text);
    }

    /// <summary>True when the last character of the text sits in an unclosed character class (then it is no anchor).</summary>
    private static bool InsideClassAtEnd(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
                i++;
            else if (text[i] == '[')
            {
                i = EndOfClass(text, i);
                if (i >= text.Length)
                    return true;
            }
        }
        return false;
    }

    /// <summary>The first anchor outside character classes and escapes, as written; null when there is none.</summary>
    private static string? InnerAnchor(string body)
    {
        for (var i = 0; i < body.Length; i++)
        {
            switch (body[i])
            {
                case '\\':
                    if (i + 1 < body.Length && body[i + 1] is 'A' or 'z' or 'Z' or 'G')
                        return $@"\{body[i + 1]}";
                    i++;
                    break;
                case '[':
                    i = EndOfClass(body, i);
                    break;
                case '^' or '$':
                    return body[i].ToString();
            }
        }
        return null;
    }

    /// <summary>A <c>|</c> outside groups, classes and escapes: the body is a choice between branches.</summary>
    private static bool HasTopLevelAlternation(string body)
    {
        var depth = 0;
        for (var i = 0; i < body.Length; i++)
        {
            switch (body[i])
            {
                case '\\':
                    i++;
                    break;
                case '[':
                    i = EndOfClass(body, i);
                    break;
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case '|' when depth == 0:
                    return true;
            }
        }
        return false;
    }

    /// <summary>The index of the <c>]</c> closing the class opened at <paramref name="open"/> (a <c>]</c> right after <c>[</c> or <c>[^</c> is literal); the text's length when unclosed.</summary>
    private static int EndOfClass(string pattern, int open)
    {
        var i = open + 1;
        if (i < pattern.Length && pattern[i] == '^')
            i++;
        if (i < pattern.Length && pattern[i] == ']')
            i++;
        for (; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\')
                i++;
            else if (pattern[i] == ']')
                return i;
        }
        return pattern.Length;
    }
}
