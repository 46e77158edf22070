using RegistryCleaner.Worker.Registries;
using RegistryCleaner.Worker.Registries.Oci;
using RegistryCleaner.Worker.Retention;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Retention;

/// <summary>Signatures, attestations and SBOMs follow their subject; plans say which images go and which only lose a tag.</summary>
public sealed class ReferrerPlanSpecs
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private const string A = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string B = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private const string Gone = "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";

    private static readonly RetentionPolicy KeepOne = new() { Name = "p", Registry = "r", KeepNewest = 1, MinKeep = 0 };

    private static string Sig(string digest, string suffix = ".sig") => digest.Replace(':', '-') + suffix;

    private static RegistryTag Tag(string name, string digest, int daysOld) => new(name, digest, Now.AddDays(-daysOld));

    [Fact]
    public void A_kept_images_signature_is_kept_though_it_is_older_than_every_tag()
    {
        RegistryTag[] tags = [Tag("v2", A, 1), Tag(Sig(A), "sha256:s1", 90), Tag("v1", B, 10)];

        var plan = RetentionPlanner.Plan(KeepOne, "team/app", tags, Now);

        var condemned = Assert.Single(plan.Condemned);
        Assert.Equal("v1", condemned.Tag);
        Assert.Empty(condemned.Referrers);
        Assert.Equal(1, plan.Referrers);
        Assert.Equal(2, plan.Kept);
    }

    [Fact]
    public void A_condemned_images_referrers_are_listed_under_its_last_tag_and_deleted_with_it()
    {
        RegistryTag[] tags =
        [
            Tag("v3", A, 1), Tag("v2", B, 10), Tag("v1", B, 20), Tag(Sig(B), "sha256:s1", 9), Tag(Sig(B, ".att"), "sha256:s2", 9),
            Tag(Sig(B, ""), "sha256:s3", 9),
        ];

        var plan = RetentionPlanner.Plan(KeepOne, "team/app", tags, Now);

        Assert.Equal(["v2", "v1"], plan.Condemned.Select(c => c.Tag));
        Assert.Empty(plan.Condemned[0].Referrers);
        Assert.Equal([Sig(B, ""), Sig(B, ".att"), Sig(B)], plan.Condemned[1].Referrers.Select(r => r.Tag));
        Assert.All(plan.Condemned[1].Referrers, r => Assert.Equal(B, r.Subject));
        Assert.Equal(5, plan.ToDelete);
        Assert.Equal(1, plan.Kept);
        Assert.Equal(1, plan.ImagesRemoved);
        Assert.Equal(0, plan.UntagOnly);
    }

    [Fact]
    public void A_tag_whose_image_another_kept_tag_holds_is_untagged_only_and_its_signature_stays()
    {
        var policy = KeepOne with { Protect = [Patterns.Compile("stable")] };
        RegistryTag[] tags = [Tag("v2", A, 1), Tag("v1", B, 10), Tag("stable", B, 10), Tag(Sig(B), "sha256:s1", 9)];

        var plan = RetentionPlanner.Plan(policy, "team/app", tags, Now);

        var condemned = Assert.Single(plan.Condemned);
        Assert.Equal("v1", condemned.Tag);
        Assert.True(condemned.UntagOnly);
        Assert.Empty(condemned.Referrers);
        Assert.Equal(1, plan.UntagOnly);
        Assert.Equal(0, plan.ImagesRemoved);
    }

    [Fact]
    public void An_orphaned_signature_is_reported_and_removed_only_when_the_policy_says_so()
    {
        RegistryTag[] tags =
        [
            Tag("v1", A, 1), Tag(Sig(Gone), "sha256:s1", 90) with { SubjectPresence = SubjectPresence.Absent },
            Tag(Sig(B), "sha256:s2", 90) with { SubjectPresence = SubjectPresence.Present },
        ];

        var reported = RetentionPlanner.Plan(KeepOne, "team/app", tags, Now);
        var removed = RetentionPlanner.Plan(KeepOne with { DeleteOrphanedReferrers = true }, "team/app", tags, Now);

        Assert.Equal([Sig(Gone)], reported.OrphanedReferrers);
        Assert.Empty(reported.Condemned);
        Assert.Equal([Sig(Gone)], removed.OrphanedReferrers);
        var orphan = Assert.Single(removed.Condemned);
        Assert.Equal(Sig(Gone), orphan.Tag);
        Assert.Contains($"orphaned referrer: its subject {Gone}", orphan.Rule);
    }

    [Fact]
    public void A_signature_whose_subject_the_registry_cannot_check_is_never_an_orphan()
    {
        RegistryTag[] tags = [Tag("v1", A, 1), Tag(Sig(Gone), "sha256:s1", 90)];

        var plan = RetentionPlanner.Plan(KeepOne with { DeleteOrphanedReferrers = true }, "team/app", tags, Now);

        Assert.Empty(plan.OrphanedReferrers);
        Assert.Empty(plan.Condemned);
        Assert.Equal(2, plan.Kept);
    }

    [Fact]
    public void A_tagged_manifest_with_an_oci_subject_follows_its_subject_like_a_signature_tag()
    {
        RegistryTag[] tags = [Tag("v2", A, 1), Tag("v1", B, 10), Tag("v1-sbom", "sha256:s1", 300) with { Subject = B }, Tag("v2-sbom", "sha256:s2", 300) with { Subject = A }];

        var plan = RetentionPlanner.Plan(KeepOne, "team/app", tags, Now);

        var condemned = Assert.Single(plan.Condemned);
        Assert.Equal(["v1-sbom"], condemned.Referrers.Select(r => r.Tag));
        Assert.Equal(2, plan.ToDelete);
    }

    [Fact]
    public void Referrers_take_no_place_in_MinKeep()
    {
        var policy = KeepOne with { KeepNewest = 0, DeleteOlderThan = TimeSpan.FromDays(1), MinKeep = 1 };
        RegistryTag[] tags = [Tag("v2", A, 5), Tag("v1", B, 10), Tag(Sig(A), "sha256:s1", 5)];

        var plan = RetentionPlanner.Plan(policy, "team/app", tags, Now);

        Assert.Equal(["v1"], plan.Condemned.Select(c => c.Tag));
        Assert.Equal(2, plan.Kept);
    }

    [Fact]
    public void A_protected_referrer_is_never_deleted()
    {
        var policy = KeepOne with { Protect = [Patterns.Compile(".*\\.sig")] };
        RegistryTag[] tags =
            [Tag("v2", A, 1), Tag("v1", B, 10), Tag(Sig(B), "sha256:s1", 9), Tag(Sig(Gone), "sha256:s2", 9) with { SubjectPresence = SubjectPresence.Absent }];

        var plan = RetentionPlanner.Plan(policy with { DeleteOrphanedReferrers = true }, "team/app", tags, Now);

        Assert.Equal(["v1"], plan.Condemned.Select(c => c.Tag));
        Assert.Empty(plan.Condemned[0].Referrers);
        Assert.Equal(2, plan.Protected);
    }

    [Theory]
    [InlineData("sha256-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.sig", A)]
    [InlineData("sha256-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", A)]
    [InlineData("sha256-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.sbom", A)]
    [InlineData("sha256-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.sig2", null)]
    [InlineData("sha256-AAAAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.sig", null)]
    [InlineData("sha256-aaaa.sig", null)]
    [InlineData("v1.sig", null)]
    public void Referrer_tags_follow_the_cosign_and_oci_schemes(string tag, string? subject) =>
        Assert.Equal(subject, ReferrerTags.SubjectOf(tag));
}
