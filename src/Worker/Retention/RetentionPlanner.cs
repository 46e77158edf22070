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
        var ordered = tags.OrderByDescending(t => t.Created ?? DateTimeOffset.MinValue).ThenBy(t => t.Name, StringComparer.Ordinal).ToList();
        int protectedCount = 0, undated = 0, rank = 0;
        var condemned = new List<CondemnedTag>();
        foreach (var tag in ordered)
        {
            if (policy.Protect.Any(p => p.IsMatch(tag.Name)))
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
            var age = now - created;
            if (policy.DeleteOlderThan is { } limit && age <= limit)
                continue;
            condemned.Add(new CondemnedTag { Tag = tag.Name, Created = created, Rule = Rule(policy, rank, age) });
        }

        // condemned is newest first: sparing from the front keeps the newest when MinKeep intervenes.
        var spare = Math.Max(0, policy.MinKeep - (ordered.Count - condemned.Count));
        if (spare > 0)
            condemned.RemoveRange(0, Math.Min(spare, condemned.Count));
        condemned.Sort((a, b) => StringComparer.Ordinal.Compare(a.Tag, b.Tag));

        return new RepositoryPlan
        {
            Repository = repository,
            Scanned = ordered.Count,
            Protected = protectedCount,
            Undated = undated,
            ToDelete = condemned.Count,
            Kept = ordered.Count - condemned.Count,
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
        (policy.TagInclude.Count == 0 || policy.TagInclude.Any(p => p.IsMatch(tag)))
        && !policy.TagExclude.Any(p => p.IsMatch(tag));

    private static string Rule(RetentionPolicy policy, int rank, TimeSpan age)
    {
        var reasons = new List<string>(2);
        if (policy.KeepNewest is { } keep)
            reasons.Add($"not among the {keep} newest (#{rank})");
        if (policy.DeleteOlderThan is { } limit)
            reasons.Add($"older than {Durations.Format(limit)} ({age.TotalDays:F0} days)");
        return string.Join(" and ", reasons);
    }
}
