using System.Text.RegularExpressions;
using RegistryCleaner.Common.Validation;

namespace RegistryCleaner.Worker.Retention;

/// <summary>
/// A checked policy. Patterns match whole names: <c>v1</c> matches the tag "v1" only, never "v10"; a leading <c>^</c>
/// means "starts with" (<c>^pr-</c> is every tag starting with pr-), a trailing <c>$</c> "ends with".
/// </summary>
public sealed record RetentionPolicy
{
    public const int DefaultMinKeep = 1;
    public const int DefaultMaxDeletionsPerRun = 1000;

    public required string Name { get; init; }
    public required string Registry { get; init; }
    public IReadOnlyList<Regex> RepositoryInclude { get; init; } = [];
    public IReadOnlyList<Regex> RepositoryExclude { get; init; } = [];

    /// <summary>Include patterns that are plain names: the repositories can be visited without the registry's catalog.</summary>
    public IReadOnlyList<string>? LiteralRepositories { get; init; }

    public string? Schedule { get; init; }
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;
    public IReadOnlyList<Regex> TagInclude { get; init; } = [];
    public IReadOnlyList<Regex> TagExclude { get; init; } = [];
    public IReadOnlyList<Regex> Protect { get; init; } = [];
    public int? KeepNewest { get; init; }
    public TimeSpan? DeleteOlderThan { get; init; }
    public int MinKeep { get; init; } = DefaultMinKeep;
    public bool DryRun { get; init; }

    /// <summary>Remove referrer tags whose subject is no longer in the repository (they are always reported).</summary>
    public bool DeleteOrphanedReferrers { get; init; }
    public int MaxDeletionsPerRun { get; init; } = DefaultMaxDeletionsPerRun;
    public double MaxDeletionFraction { get; init; } = 1.0;

    /// <summary>The rule a condemned tag broke, in words: every set rule had to agree, so it is the same for every tag.</summary>
    public string CondemningRule => _rule ??= string.Join(" and ", new[]
    {
        KeepNewest is { } keep ? $"not among the {keep} newest" : null,
        DeleteOlderThan is { } age ? $"older than {Durations.Format(age)}" : null,
    }.Where(r => r is not null));

    private string? _rule;

    public bool IncludesRepository(string repository) =>
        (RepositoryInclude.Count == 0 || RepositoryInclude.Any(r => r.IsMatch(repository)))
        && !RepositoryExclude.Any(r => r.IsMatch(repository));

    public string Describe()
    {
        var parts = new List<string>();
        if (KeepNewest is { } n)
            parts.Add($"keep newest {n}");
        if (DeleteOlderThan is { } age)
            parts.Add($"delete older than {Durations.Format(age)}");
        if (TagInclude.Count > 0)
            parts.Add("tags " + string.Join(" | ", TagInclude.Select(Patterns.Source)));
        if (TagExclude.Count > 0)
            parts.Add("except " + string.Join(" | ", TagExclude.Select(Patterns.Source)));
        if (Protect.Count > 0)
            parts.Add("protect " + string.Join(" | ", Protect.Select(Patterns.Source)));
        if (DeleteOrphanedReferrers)
            parts.Add("delete orphaned referrers");
        parts.Add($"min keep {MinKeep}");
        parts.Add($"max {MaxDeletionsPerRun} deletions, {MaxDeletionFraction:P0} of a repository");
        return string.Join("; ", parts);
    }
}
