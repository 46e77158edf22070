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
        var protect = TagMatcher.For(policy.Protect);
        var include = TagMatcher.For(policy.TagInclude);
        var exclude = TagMatcher.For(policy.TagExclude);
        int protectedCount = 0, undated = 0;
        // Only dated tags that pass the filters compete for KeepNewest places and age out, so only they are ordered.
        var dated = System.Buffers.ArrayPool<Candidate>.Shared.Rent(tags.Count);
        var count = 0;
        for (var i = 0; i < tags.Count; i++)
        {
            var tag = tags[i];
            if (TagMatcher.Any(protect, tag.Name))
                protectedCount++;
            else if ((include.Length > 0 && !TagMatcher.Any(include, tag.Name)) || TagMatcher.Any(exclude, tag.Name))
                continue;
            else if (tag.Created is { } created)
                dated[count++] = new Candidate(created.UtcTicks, tag.Name, created);
            else
                undated++;
        }
        var candidates = dated.AsSpan(0, count);
        candidates.Sort(new NewestFirst());

        var rule = policy.CondemningRule;
        var condemned = new List<CondemnedTag>(candidates.Length);
        for (var rank = 1; rank <= candidates.Length; rank++)
        {
            var candidate = candidates[rank - 1];
            if (policy.KeepNewest is { } keep && rank <= keep)
                continue;
            if (policy.DeleteOlderThan is { } limit && now - candidate.Created <= limit)
                continue;
            condemned.Add(new CondemnedTag { Tag = candidate.Name, Created = candidate.Created, Rule = rule });
        }
        System.Buffers.ArrayPool<Candidate>.Shared.Return(dated, clearArray: true);

        // condemned is newest first, as the plan lists it: sparing from the front keeps the newest when MinKeep intervenes.
        var spare = Math.Max(0, policy.MinKeep - (tags.Count - condemned.Count));
        if (spare > 0)
            condemned.RemoveRange(0, Math.Min(spare, condemned.Count));

        return new RepositoryPlan
        {
            Repository = repository,
            Scanned = tags.Count,
            Protected = protectedCount,
            Undated = undated,
            ToDelete = condemned.Count,
            Kept = tags.Count - condemned.Count,
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

    private readonly record struct Candidate(long Ticks, string Name, DateTimeOffset Created);

    /// <summary>Newest first; equal times by name, so the order never depends on how the registry listed them.</summary>
    private readonly struct NewestFirst : IComparer<Candidate>
    {
        public int Compare(Candidate x, Candidate y)
        {
            var byTime = y.Ticks.CompareTo(x.Ticks);
            return byTime != 0 ? byTime : string.CompareOrdinal(x.Name, y.Name);
        }
    }
}
