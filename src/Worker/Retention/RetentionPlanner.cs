using System.Buffers;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Registries;
using RegistryCleaner.Worker.Registries.Oci;

namespace RegistryCleaner.Worker.Retention;

/// <summary>
/// Decides, for one repository, which tags a policy condemns. Pure and deterministic: no I/O, the same answer for
/// any listing order (newest first, ties broken by name). A tag is condemned only when every rule that is set
/// agrees; protected and undated tags are never condemned; the repository keeps at least MinKeep tags. Referrer tags
/// (signatures, attestations, SBOMs) take no part in the rules: they are kept while their subject is, and go with
/// the subject's last tag.
/// </summary>
public static class RetentionPlanner
{
    /// <summary>What the planner has made of each tag, by index.</summary>
    internal const byte Kept = 0, Condemned = 1, Referrer = 2;

    public static RepositoryPlan Plan(RetentionPolicy policy, string repository, IReadOnlyList<RegistryTag> tags, DateTimeOffset now)
    {
        var protect = TagMatcher.For(policy.Protect);
        var include = TagMatcher.For(policy.TagInclude);
        var exclude = TagMatcher.For(policy.TagExclude);
        int protectedCount = 0, undated = 0;
        var state = ArrayPool<byte>.Shared.Rent(tags.Count);
        Array.Clear(state, 0, tags.Count);
        List<int>? referrers = null;
        // Only dated tags that pass the filters compete for KeepNewest places and age out, so only they are ordered.
        var dated = ArrayPool<Candidate>.Shared.Rent(tags.Count);
        var count = 0;
        for (var i = 0; i < tags.Count; i++)
        {
            var tag = tags[i];
            if (ReferrerTags.SubjectOf(tag) is not null)
            {
                state[i] = Referrer;
                (referrers ??= []).Add(i);
            }
            else if (TagMatcher.Any(protect, tag.Name))
                protectedCount++;
            else if ((include.Length > 0 && !TagMatcher.Any(include, tag.Name)) || TagMatcher.Any(exclude, tag.Name))
                continue;
            else if (tag.Created is { } created)
                dated[count++] = new Candidate(created.UtcTicks, tag.Name, i);
            else
                undated++;
        }
        var candidates = dated.AsSpan(0, count);
        candidates.Sort(new NewestFirst());

        // Newest first, so the tags that survive KeepNewest and the age rule are a prefix and the condemned the rest.
        var first = Math.Min(policy.KeepNewest ?? 0, candidates.Length);
        if (policy.DeleteOlderThan is { } limit)
        {
            while (first < candidates.Length && now.UtcTicks - candidates[first].Ticks <= limit.Ticks)
                first++;
        }
        // Sparing from the front keeps the newest when MinKeep intervenes. Referrer tags are no images of their own,
        // so they do not count towards MinKeep.
        var imageTags = tags.Count - (referrers?.Count ?? 0);
        first += Math.Min(Math.Max(0, policy.MinKeep - (imageTags - (candidates.Length - first))), candidates.Length - first);
        var chosen = candidates[first..];

        var images = ImageFates.Of(tags, chosen, state);
        var followers = referrers is null ? null : Followers(policy, tags, referrers, images, protect, ref protectedCount);
        ArrayPool<byte>.Shared.Return(state);

        var rule = policy.CondemningRule;
        var condemned = new List<CondemnedTag>(chosen.Length + (followers?.Orphans.Count ?? 0));
        var untagOnly = 0;
        for (var c = 0; c < chosen.Length; c++)
        {
            var tag = tags[chosen[c].Index];
            var keepsImage = images.StillHeld(chosen[c].Index);
            untagOnly += keepsImage ? 1 : 0;
            condemned.Add(new CondemnedTag { Tag = tag.Name, Created = tag.Created, Rule = rule, Digest = tag.Digest, UntagOnly = keepsImage });
        }
        ArrayPool<Candidate>.Shared.Return(dated, clearArray: true); // chosen is a view of it: only now is it free
        var removedImages = images.Removed;
        images.Dispose();
        var referrersToDelete = followers is null ? 0 : Attach(condemned, followers.BySubject);
        if (followers is not null && policy.DeleteOrphanedReferrers)
        {
            foreach (var orphan in followers.Orphans)
            {
                condemned.Add(new CondemnedTag
                {
                    Tag = orphan.Tag, Created = tags[orphan.Index].Created, Digest = orphan.Digest,
                    Rule = $"orphaned referrer: its subject {orphan.Subject} is not in the repository",
                });
            }
        }

        var toDelete = condemned.Count + referrersToDelete;
        return new RepositoryPlan
        {
            Repository = repository,
            Scanned = tags.Count,
            Protected = protectedCount,
            Undated = undated,
            ToDelete = toDelete,
            Kept = tags.Count - toDelete,
            Condemned = condemned,
            Referrers = referrers?.Count ?? 0,
            OrphanedReferrers = followers is { Orphans.Count: > 0 } ? followers.Orphans.Select(o => o.Tag).ToList() : [],
            UntagOnly = untagOnly,
            ImagesRemoved = removedImages,
        };
    }

    private sealed record Follower(string Tag, string? Digest, string Subject, int Index);

    private sealed record FollowerPlan(Dictionary<string, List<CondemnedReferrer>> BySubject, List<Follower> Orphans);

    /// <summary>
    /// Where each referrer tag goes: with its removed subject; kept with a kept or stored subject, or one whose presence
    /// the registry cannot tell; orphaned only when the registry said the subject is absent.
    /// </summary>
    private static FollowerPlan Followers(RetentionPolicy policy, IReadOnlyList<RegistryTag> tags, List<int> referrers,
        ImageFates images, TagMatcher[] protect, ref int protectedCount)
    {
        var bySubject = new Dictionary<string, List<CondemnedReferrer>>(StringComparer.Ordinal);
        var orphans = new List<Follower>();
        foreach (var index in referrers)
        {
            var tag = tags[index];
            var subject = ReferrerTags.SubjectOf(tag)!;
            if (TagMatcher.Any(protect, tag.Name))
                protectedCount++;
            else if (images.IsRemoved(subject))
            {
                if (!bySubject.TryGetValue(subject, out var list))
                    bySubject[subject] = list = [];
                list.Add(new CondemnedReferrer { Tag = tag.Name, Digest = tag.Digest, Subject = subject });
            }
            else if (!images.IsListed(subject) && tag.SubjectPresence == SubjectPresence.Absent)
                orphans.Add(new Follower(tag.Name, tag.Digest, subject, index));
        }
        foreach (var list in bySubject.Values)
            list.Sort((a, b) => string.CompareOrdinal(a.Tag, b.Tag));
        orphans.Sort((a, b) => string.CompareOrdinal(a.Tag, b.Tag));
        return new FollowerPlan(bySubject, orphans);
    }

    /// <summary>Lists each removed subject's referrers under its last condemned tag in plan order; returns how many.</summary>
    private static int Attach(List<CondemnedTag> condemned, Dictionary<string, List<CondemnedReferrer>> bySubject)
    {
        var attached = 0;
        for (var c = condemned.Count - 1; c >= 0 && bySubject.Count > 0; c--)
        {
            if (condemned[c].Digest is { } digest && bySubject.Remove(digest, out var referrers))
            {
                condemned[c] = condemned[c] with { Referrers = referrers };
                attached += referrers.Count;
            }
        }
        return attached;
    }

    /// <summary>Why a plan may not run: a limit it breaks, with its numbers; null when it is within every limit.</summary>
    public static string? LimitBroken(RetentionPolicy policy, IReadOnlyList<RepositoryPlan> plans) =>
        TotalBroken(policy, plans.Sum(p => (long)p.ToDelete)) ?? plans.Select(p => FractionBroken(policy, p)).FirstOrDefault(b => b is not null);

    /// <summary>Why a run deleting this many tags may not run; null when it may.</summary>
    public static string? TotalBroken(RetentionPolicy policy, long total) =>
        total > policy.MaxDeletionsPerRun ? $"The plan deletes {total} tags; MaxDeletionsPerRun is {policy.MaxDeletionsPerRun}. Nothing was deleted." : null;

    /// <summary>Why one repository's plan deletes too large a share of it; null when it does not.</summary>
    public static string? FractionBroken(RetentionPolicy policy, RepositoryPlan plan) =>
        plan.Scanned > 0 && (double)plan.ToDelete / plan.Scanned > policy.MaxDeletionFraction
            ? $"The plan deletes {plan.ToDelete} of {plan.Scanned} tags ({(double)plan.ToDelete / plan.Scanned:P0}) in {plan.Repository}; MaxDeletionFraction is {policy.MaxDeletionFraction:P0}. Nothing was deleted."
            : null;

    internal readonly record struct Candidate(long Ticks, string Name, int Index);

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
