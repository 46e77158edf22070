using RegistryCleaner.Contracts;
using RegistryCleaner.Publisher.Output;

namespace RegistryCleaner.Publisher.Tests;

/// <summary>What people read of a retention run: what goes, what only loses a tag, what it frees, and the warnings.</summary>
public sealed class RetentionPlanTextSpecs
{
    private static string Text(RetentionRunCompleted report)
    {
        using var output = new StringWriter { NewLine = "\n" };
        RetentionPlanText.Write(output, report);
        return output.ToString();
    }

    [Fact]
    public void A_plan_says_untag_only_images_removed_and_bytes_freed_per_repository_and_in_total()
    {
        var report = new RetentionRunCompleted
        {
            RunId = Guid.Empty, Policy = "nightly", Registry = "oci", Status = RetentionRunStatus.Completed,
            Repositories =
            [
                new RepositoryPlan
                {
                    Repository = "team/app", Scanned = 5, Kept = 2, ToDelete = 3, UntagOnly = 1, ImagesRemoved = 1, EstimatedBytesFreed = 12_345_678, Referrers = 1,
                    Condemned =
                    [
                        new CondemnedTag { Tag = "v1", Rule = "older than 30d", UntagOnly = true },
                        new CondemnedTag { Tag = "v0", Rule = "older than 30d", Referrers = [new CondemnedReferrer { Tag = "sha256-aa.sig", Subject = "sha256:aa" }] },
                    ],
                    OrphanedReferrers = ["sha256-bb.sig"],
                },
                new RepositoryPlan { Repository = "team/web", Scanned = 1, Kept = 0, ToDelete = 1, ImagesRemoved = 1, EstimatedBytesFreed = null },
            ],
            TagsScanned = 6, TagsToDelete = 4, UntagOnly = 1, ImagesRemoved = 2, EstimatedBytesFreed = null, DeletionsSent = 4,
            CondemnedNotListed = 7, OrphanedNotListed = 2,
            UnmatchedPatterns = [new UnmatchedPattern { Key = "Retention:Policies:nightly:Tags:Include:1", Pattern = "feature-.*", MatchedAgainst = "tag" }],
        };

        var lines = Text(report).Split('\n');

        Assert.Contains("  warning: Retention:Policies:nightly:Tags:Include:1 'feature-.*' matched no tag in this run", lines);
        Assert.Contains("    untag only 1, images removed 1, 12.3 MB freed after garbage collection (12,345,678 bytes)", lines);
        Assert.Contains("    - v1  (older than 30d; untag only, a kept tag holds the image)", lines);
        Assert.Contains("      + sha256-aa.sig  (referrer, removed with it)", lines);
        Assert.Contains("    orphaned referrers (subject not in the repository): sha256-bb.sig", lines);
        Assert.Contains("    untag only 0, images removed 1, bytes freed unknown", lines);
        Assert.Contains("  … and 7 more condemned tags, not listed", lines);
        Assert.Contains("  … and 2 more orphaned referrers, not listed", lines);
        Assert.Contains("  total: 6 scanned, 4 to delete (1 untag only, 2 images removed, bytes freed unknown), 4 deletions sent", lines);
    }

    [Fact]
    public void Only_tags_going_frees_zero_bytes()
    {
        var report = new RetentionRunCompleted
        {
            Repositories = [new RepositoryPlan { Repository = "team/app", Scanned = 2, Kept = 1, ToDelete = 1, UntagOnly = 1, EstimatedBytesFreed = 0 }],
            TagsToDelete = 1, UntagOnly = 1, EstimatedBytesFreed = 0,
        };

        Assert.Contains("    untag only 1, images removed 0, 0 bytes freed", Text(report).Split('\n'));
    }
}
