using System.Text.RegularExpressions;

namespace RegistryCleaner.Worker.Matching;

/// <summary>
/// One configured pattern with the key it came from, so a decision can name its rule. It matches whole names under the
/// one pattern rule (<see cref="PatternAnchors"/>): <c>v1</c> matches "v1" only, never "v10" nor "v1\n"; <c>^team-a</c>
/// names starting with team-a; an anchor anywhere else is refused. Time-limited, so no pattern can hang a worker.
/// </summary>
public sealed class RulePattern
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(200);

    private RulePattern(string key, NamePattern regex)
    {
        Key = key;
        Regex = regex;
    }

    /// <summary>The configuration key, e.g. <c>Protection:Tags:0</c>.</summary>
    public string Key { get; }

    /// <summary>The pattern as configured.</summary>
    public string Source => Regex.Source;

    public NamePattern Regex { get; }

    public override string ToString() => $"{Key} '{Source}'";

    /// <summary>True when the value matches; a match that takes too long throws <see cref="RegexMatchTimeoutException"/>, and callers fail closed.</summary>
    public bool IsMatch(string value) => Regex.IsMatch(value);

    public static bool TryCompile(string key, string? source, out RulePattern pattern, out string error)
    {
        pattern = null!;
        error = "";
        if (string.IsNullOrWhiteSpace(source))
        {
            error = $"{key} is empty; remove it or give a regular expression.";
            return false;
        }
        if (!NamePattern.TryCreate(source, RegexOptions.CultureInvariant, MatchTimeout, out var regex, out var refusal))
        {
            error = $"{key} '{source}' {refusal}";
            return false;
        }
        pattern = new RulePattern(key, regex);
        return true;
    }

    /// <summary>Every pattern of a list, keyed <c>{listKey}:{index}</c>; each invalid one adds an error.</summary>
    public static List<RulePattern> CompileAll(string listKey, IReadOnlyList<string> sources, List<string> errors)
    {
        var compiled = new List<RulePattern>(sources.Count);
        for (var i = 0; i < sources.Count; i++)
        {
            if (TryCompile($"{listKey}:{i}", sources[i], out var pattern, out var error))
                compiled.Add(pattern);
            else
                errors.Add(error);
        }
        return compiled;
    }
}
