using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Registries;
using RegistryCleaner.Worker.Registries.Oci;
using RegistryCleaner.Worker.Retention;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Retention;

/// <summary>Properties of the planner over many generated repositories and policies (fixed seeds, so failures reproduce).</summary>
public sealed class PlannerPropertySpecs
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Prefixes = ["v", "release-", "dev-", "latest", "pr-", "sha-"];

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (var seed = 1; seed <= 40; seed++)
            data.Add(seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Protected_and_undated_tags_are_never_condemned_and_MinKeep_holds(int seed)
    {
        var random = new Random(seed);
        for (var round = 0; round < 25; round++)
        {
            var tags = GenerateTags(random);
            var policy = GeneratePolicy(random);
            var plan = RetentionPlanner.Plan(policy, "team/app", tags, Now);
            var byName = tags.ToDictionary(t => t.Name);

            var images = plan.Condemned.Where(c => !IsOrphan(c)).ToList();
            var keptDigests = tags.Where(t => ReferrerTags.SubjectOf(t) is null && images.All(c => c.Tag != t.Name)).Select(t => t.Digest).ToHashSet();
            foreach (var condemned in plan.Condemned.Where(IsOrphan))
            {
                Assert.True(policy.DeleteOrphanedReferrers);
                Assert.Equal(SubjectPresence.Absent, byName[condemned.Tag].SubjectPresence);
                Assert.DoesNotContain(policy.Protect, p => p.IsMatch(condemned.Tag));
            }
            foreach (var referrer in images.SelectMany(c => c.Referrers.Select(r => (Image: c, Referrer: r))))
            {
                // A referrer goes only with its subject's last tag, never while a kept tag holds the subject.
                Assert.Equal(referrer.Image.Digest, referrer.Referrer.Subject);
                Assert.DoesNotContain(referrer.Referrer.Subject, keptDigests);
                Assert.DoesNotContain(policy.Protect, p => p.IsMatch(referrer.Referrer.Tag));
            }
            // ... and always goes with it, unless protected.
            var removed = images.Where(c => c.Digest is not null && !keptDigests.Contains(c.Digest)).Select(c => c.Digest!).ToHashSet();
            var listed = images.SelectMany(c => c.Referrers).Select(r => r.Tag).ToHashSet();
            foreach (var follower in tags.Where(t => ReferrerTags.SubjectOf(t) is { } subject && removed.Contains(subject) && !policy.Protect.Any(p => p.IsMatch(t.Name))))
                Assert.Contains(follower.Name, listed);
            foreach (var condemned in images)
            {
                Assert.Null(ReferrerTags.SubjectOf(condemned.Tag));
                Assert.DoesNotContain(policy.Protect, p => p.IsMatch(condemned.Tag));
                Assert.NotNull(byName[condemned.Tag].Created);
                if (policy.DeleteOlderThan is { } limit)
                    Assert.True(Now - byName[condemned.Tag].Created!.Value > limit);
                Assert.True(policy.TagInclude.Count == 0 || policy.TagInclude.Any(p => p.IsMatch(condemned.Tag)));
                Assert.DoesNotContain(policy.TagExclude, p => p.IsMatch(condemned.Tag));
                Assert.False(string.IsNullOrEmpty(condemned.Rule));
            }
            var imageTags = tags.Count(t => ReferrerTags.SubjectOf(t) is null);
            Assert.True(imageTags - images.Count >= Math.Min(policy.MinKeep, imageTags));
            Assert.Equal(plan.Scanned, plan.Kept + plan.ToDelete);
            Assert.Equal(plan.ToDelete, plan.Condemned.Count + images.Sum(c => c.Referrers.Count));
            Assert.Equal(plan.Condemned.Count, plan.Condemned.Select(c => c.Tag).Distinct().Count());
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_plan_does_not_depend_on_listing_order(int seed)
    {
        var random = new Random(seed);
        var tags = GenerateTags(random);
        var policy = GeneratePolicy(random);

        var expected = RetentionPlanner.Plan(policy, "team/app", tags, Now);
        var shuffled = tags.OrderBy(_ => random.Next()).ToList();
        var actual = RetentionPlanner.Plan(policy, "team/app", shuffled, Now);

        Assert.Equal(expected.Condemned, actual.Condemned, CondemnedTagComparer.Instance);
        Assert.Equal(expected.OrphanedReferrers, actual.OrphanedReferrers);
        Assert.Equal(expected with { Condemned = [], OrphanedReferrers = [] }, actual with { Condemned = [], OrphanedReferrers = [] });
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Keep_newest_keeps_exactly_the_N_newest_dated_tags(int seed)
    {
        var random = new Random(seed);
        var tags = GenerateTags(random);
        var keep = random.Next(0, 8);
        var policy = new RetentionPolicy { Name = "p", Registry = "r", KeepNewest = keep, MinKeep = 0, MaxDeletionFraction = 1 };

        var plan = RetentionPlanner.Plan(policy, "team/app", tags, Now);

        var dated = tags.Where(t => t.Created is not null && ReferrerTags.SubjectOf(t) is null)
            .OrderByDescending(t => t.Created).ThenBy(t => t.Name, StringComparer.Ordinal).ToList();
        // The plan lists what it condemns newest first.
        Assert.Equal(dated.Skip(keep).Select(t => t.Name), plan.Condemned.Select(c => c.Tag));
        Assert.Equal(tags.Count(t => t.Created is null && ReferrerTags.SubjectOf(t) is null), plan.Undated);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_plan_within_the_limits_never_exceeds_them_and_one_beyond_is_refused(int seed)
    {
        var random = new Random(seed);
        var policy = GeneratePolicy(random) with { MaxDeletionsPerRun = random.Next(0, 40), MaxDeletionFraction = random.NextDouble() };
        var plans = Enumerable.Range(0, random.Next(1, 6)).Select(i => RetentionPlanner.Plan(policy, $"repo{i}", GenerateTags(random), Now)).ToList();

        var refusal = RetentionPlanner.LimitBroken(policy, plans);

        var total = plans.Sum(p => p.ToDelete);
        var worstFraction = plans.Where(p => p.Scanned > 0).Select(p => (double)p.ToDelete / p.Scanned).DefaultIfEmpty(0).Max();
        Assert.Equal(total > policy.MaxDeletionsPerRun || worstFraction > policy.MaxDeletionFraction, refusal is not null);
        if (refusal is not null)
            Assert.Contains("Nothing was deleted", refusal);
    }

    [Fact]
    public void Tags_sharing_a_digest_are_decided_one_by_one()
    {
        var policy = new RetentionPolicy { Name = "p", Registry = "r", KeepNewest = 1, MinKeep = 0, Protect = [Patterns.Compile("stable")] };
        var sameDay = Now.AddDays(-10);
        RegistryTag[] tags = [new("stable", "sha256:a", sameDay), new("v1", "sha256:a", sameDay), new("v2", "sha256:b", Now)];

        var plan = RetentionPlanner.Plan(policy, "team/app", tags, Now);

        Assert.Equal(["v1"], plan.Condemned.Select(c => c.Tag));
    }

    [Fact]
    public void An_age_rule_and_keep_newest_must_both_agree()
    {
        var policy = new RetentionPolicy { Name = "p", Registry = "r", KeepNewest = 2, DeleteOlderThan = TimeSpan.FromDays(30), MinKeep = 0 };
        RegistryTag[] tags =
        [
            new("old-1", null, Now.AddDays(-100)), new("old-2", null, Now.AddDays(-90)), new("old-3", null, Now.AddDays(-80)),
            new("new-1", null, Now.AddDays(-5)), new("new-2", null, Now.AddDays(-4)), new("new-3", null, Now.AddDays(-3)),
        ];

        var plan = RetentionPlanner.Plan(policy, "team/app", tags, Now);

        Assert.Equal(["old-3", "old-2", "old-1"], plan.Condemned.Select(c => c.Tag));
        Assert.Contains("older than 30d", plan.Condemned[0].Rule);
    }

    private static List<RegistryTag> GenerateTags(Random random)
    {
        var count = random.Next(0, 40);
        var names = new HashSet<string>();
        var tags = new List<RegistryTag>();
        while (tags.Count < count)
        {
            var name = Prefixes[random.Next(Prefixes.Length)] + random.Next(0, 60);
            if (!names.Add(name))
                continue;
            DateTimeOffset? created = random.NextDouble() < 0.15 ? null : Now.AddHours(-random.Next(0, 24 * 120));
            tags.Add(new RegistryTag(name, Image(random.Next(0, 10)), created));
        }
        // Signatures, attestations and SBOMs of listed images, and of images that are gone or cannot be checked.
        string[] suffixes = [".sig", ".att", ".sbom"];
        for (var i = random.Next(0, 8); i > 0; i--)
        {
            var subject = random.Next(0, 13);
            var name = Image(subject).Replace(':', '-') + suffixes[random.Next(suffixes.Length)];
            if (!names.Add(name))
                continue;
            var presence = subject < 10 ? SubjectPresence.Unknown : subject == 10 ? SubjectPresence.Present : subject == 11 ? SubjectPresence.Absent : SubjectPresence.Unknown;
            DateTimeOffset? created = random.NextDouble() < 0.15 ? null : Now.AddHours(-random.Next(0, 24 * 400));
            tags.Add(new RegistryTag(name, $"sha256:f{names.Count:x63}", created) { SubjectPresence = presence });
        }
        return tags;
    }

    private static string Image(int n) => $"sha256:{n:x64}";

    private static bool IsOrphan(CondemnedTag tag) => tag.Rule.StartsWith("orphaned referrer", StringComparison.Ordinal);

    private static RetentionPolicy GeneratePolicy(Random random)
    {
        int? keep = random.NextDouble() < 0.6 ? random.Next(0, 10) : null;
        TimeSpan? age = keep is null || random.NextDouble() < 0.5 ? TimeSpan.FromDays(random.Next(1, 90)) : null;
        return new RetentionPolicy
        {
            Name = "generated",
            Registry = "r",
            KeepNewest = keep,
            DeleteOlderThan = age,
            MinKeep = random.Next(0, 5),
            Protect = random.NextDouble() < 0.5 ? [Patterns.Compile("latest\\d*"), Patterns.Compile(@"v\d+")] : random.NextDouble() < 0.2 ? [Patterns.Compile(@"\.att$")] : [],
            TagInclude = random.NextDouble() < 0.3 ? [Patterns.Compile("(dev|pr)-.*")] : [],
            TagExclude = random.NextDouble() < 0.3 ? [Patterns.Compile("sha-.*")] : [],
            DeleteOrphanedReferrers = random.NextDouble() < 0.5,
        };
    }
}
