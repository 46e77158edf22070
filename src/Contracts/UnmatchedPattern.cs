namespace RegistryCleaner.Contracts;

/// <summary>A policy pattern that matched nothing in a run: often a mistake (a typo, a repository that is gone), so it is reported as a warning.</summary>
public record UnmatchedPattern
{
    /// <summary>The configuration key, e.g. <c>Retention:Policies:nightly:Tags:Include:0</c>.</summary>
    public string Key { get; init; } = "";

    /// <summary>The pattern as configured.</summary>
    public string Pattern { get; init; } = "";

    /// <summary>What it was matched against: <c>repository</c> or <c>tag</c>.</summary>
    public string MatchedAgainst { get; init; } = "";
}
