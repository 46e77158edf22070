using System.Text.RegularExpressions;

namespace RegistryCleaner.Worker.Matching;

/// <summary>
/// A configured pattern compiled under the one pattern rule (<see cref="PatternAnchors"/>): always tied to both ends
/// of the name, so it never matches more than it says (never "v1\n" for <c>v1</c>). It keeps the pattern as configured,
/// and its body and anchoring, so fast paths can answer the common shapes without the regular expression.
/// </summary>
public sealed class NamePattern : Regex
{
    private NamePattern(string source, string body, PatternAnchoring anchoring, RegexOptions options, TimeSpan matchTimeout)
        : base(PatternAnchors.Expression(body, anchoring), options, matchTimeout)
    {
        Source = source;
        Body = body;
        Anchoring = anchoring;
    }

    /// <summary>The pattern as configured.</summary>
    public string Source { get; }

    /// <summary>The pattern without the anchors that opened or closed it.</summary>
    public string Body { get; }

    public PatternAnchoring Anchoring { get; }

    /// <summary>False with the reason, in words with a fix, when the pattern is invalid or uses an anchor the rule refuses.</summary>
    public static bool TryCreate(string source, RegexOptions options, TimeSpan matchTimeout, out NamePattern pattern, out string refusal)
    {
        pattern = null!;
        if (!PatternAnchors.TryParse(source, out var body, out var anchoring, out refusal))
            return false;
        pattern = new NamePattern(source, body, anchoring, options, matchTimeout);
        return true;
    }
}
