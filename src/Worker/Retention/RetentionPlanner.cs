using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Registries;

namespace RegistryCleaner.Worker.Retention;

/// <summary>
/// Decides, for one repository, which tags a policy condemns. Pure and deterministic: no I/O, the same answer for
/// any listing order (newest first, ties broken by name). A tag is condemned only when every rule that is set
/// agrees; protected and undated tags are never condemned; the repository keeps at least MinKeep tags.
/// </summary>
public static class RetentionPlanner
{
    public static RepositoryPlan Plan(RetentionPolicy policy, string repository, IReadOnlyList<RegistryTag> tags, DateTimeOffset now)
    {
        var ordered = tags.ToArray();
        Array.Sort(ordered, NewestFirst.Instance);
        int protectedCount = 0, undated = 0, rank = 0;
        var rule = policy.CondemningRule;
        var condemned = new List<CondemnedTag>();
        foreach (var tag in ordered)
        {
            if (AnyMatch(policy.Protect, tag.Name))
            {
                protectedCount++;
                continue;
            }
            if (!MatchesTagFilters(policy, tag.Name))
                continue;
            if (tag.Created is not { } created)
            {
                undated++;
                continue;
            }
            rank++;
            if (policy.KeepNewest is { } keep && rank <= keep)
                continue;
            if (policy.DeleteOlderThan is { } limit && now - created <= limit)
                continue;
            condemned.Add(new CondemnedTag { Tag = tag.Name, Created = created, Rule = rule });
        }

        // condemned is newest first: sparing from the front keeps the newest when MinKeep intervenes.
        var spare = Math.Max(0, policy.MinKeep - (ordered.Length - condemned.Count));
        if (spare > 0)
            condemned.RemoveRange(0, Math.Min(spare, condemned.Count));
        condemned.Sort(static (a, b) => string.CompareOrdinal(a.Tag, b.Tag));

        return new RepositoryPlan
        {
            Repository = repository,
            Scanned = ordered.Length,
            Protected = protectedCount,
            Undated = undated,
            ToDelete = condemned.Count,
            Kept = ordered.Length - condemned.Count,
            Condemned = condemned,
        };
    }

    /// <summary>Why a plan may not run: a limit it breaks, with its numbers; null when it is within every limit.</summary>
    public static string? LimitBroken(RetentionPolicy policy, IReadOnlyList<RepositoryPlan> plans)
    {
        var total = plans.Sum(p => p.ToDelete);
        if (total > policy.MaxDeletionsPerRun)
            return $"The plan deletes {total} tags; MaxDeletionsPerRun is {policy.MaxDeletionsPerRun}. Nothing was deleted.";
        foreach (var plan in plans)
        {
            if (plan.Scanned > 0 && (double)plan.ToDelete / plan.Scanned > policy.MaxDeletionFraction)
                return $"The plan deletes {plan.ToDelete} of {plan.Scanned} tags ({(double)plan.ToDelete / plan.Scanned:P0}) in {plan.Repository}; MaxDeletionFraction is {policy.MaxDeletionFraction:P0}. Nothing was deleted.";
        }
        return null;
    }

    private static bool MatchesTagFilters(RetentionPolicy policy, string tag) =>
        (policy.TagInclude.Count == 0 || AnyMatch(policy.TagInclude, tag)) && !AnyMatch(policy.TagExclude, tag);

    private static bool AnyMatch(IReadOnlyList<System.Text.RegularExpressions.Regex> patterns, string value)
    {
        for (var i = 0; i < patterns.Count; i++)
        {
            if (patterns[i].IsMatch(value))
                return true;
        }
        return false;
    }

    /// <summary>Newest first; undated last; equal times by name, so the order never depends on how the registry listed them.</summary>
    private sealed class NewestFirst : IComparer<RegistryTag>
    {
        public static readonly NewestFirst Instance = new();

        public int Compare(RegistryTag? x, RegistryTag? y)
        {
            var byTime = (y!.Created?.UtcTicks ?? long.MinValue).CompareTo(x!.Created?.UtcTicks ?? long.MinValue);
            return byTime != 0 ? byTime : string.CompareOrdinal(x.Name, y.Name);
        }
    }
}
