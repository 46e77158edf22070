namespace RegistryCleaner.Worker.Validation;

/// <summary>
/// The one rule for every configured pattern (retention <c>Repositories</c>, <c>Tags</c>, <c>Protect</c>; registry
/// <c>AllowedRepositories</c>, <c>ProtectedTags</c>; <c>Protection:Tags</c>): a pattern without anchors must match
/// the whole name (<c>pr-</c> is the tag "pr-" only); a pattern that writes an anchor of its own (<c>^</c>, <c>$</c>,
/// <c>\A</c>, <c>\z</c>, <c>\Z</c> outside a character class) is honoured as written, an ordinary regular-expression
/// search, so <c>^pr-</c> means "starts with pr-", exactly as <c>pr-.*</c>.
/// </summary>
public static class PatternAnchors
{
    public static bool HasAnchor(string pattern)
    {
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '\\':
                    if (i + 1 < pattern.Length && pattern[i + 1] is 'A' or 'z' or 'Z')
                        return true;
                    i++;
                    break;
                case '[':
                    i = EndOfClass(pattern, i);
                    break;
                case '^' or '$':
                    return true;
            }
        }
        return false;
    }

    /// <summary>The regular expression a pattern stands for under the rule: as written when anchored, else whole-name.</summary>
    public static string Expression(string pattern, string start, string end) =>
        HasAnchor(pattern) ? pattern : $"{start}(?:{pattern}){end}";

    /// <summary>The index of the <c>]</c> closing the class opened at <paramref name="open"/> (a <c>]</c> right after <c>[</c> or <c>[^</c> is literal).</summary>
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
