using System.Globalization;
using RegistryCleaner.Common;
using RegistryCleaner.Contracts;

namespace RegistryCleaner.Publisher.Output;

/// <summary>A retention run's report as people read it: per repository what goes, what stays, and what it frees.</summary>
public static class RetentionPlanText
{
    public static void Write(TextWriter output, RetentionRunCompleted report)
    {
        var mode = report.DryRun ? " (dry run: nothing is deleted)" : "";
        output.WriteLine($"Run {report.RunId} of policy {Printable.Of(report.Policy)} on {Printable.Of(report.Registry)}: {report.Status}{mode}");
        if (report.Reason is not null)
            output.WriteLine($"  {Printable.Of(report.Reason)}");
        foreach (var pattern in report.UnmatchedPatterns)
            output.WriteLine($"  {Warning(pattern)}");
        foreach (var repository in report.Repositories)
        {
            output.WriteLine($"  {Printable.Of(repository.Repository)}: scanned {repository.Scanned}, kept {repository.Kept}, protected {repository.Protected}, " +
                             $"undated {repository.Undated}, referrers {repository.Referrers}, to delete {repository.ToDelete}");
            if (repository.ToDelete > 0)
                output.WriteLine($"    untag only {repository.UntagOnly}, images removed {repository.ImagesRemoved}, {Freed(repository.EstimatedBytesFreed)}");
            foreach (var tag in repository.Condemned)
            {
                var stays = tag.UntagOnly ? "; untag only, a kept tag holds the image" : "";
                output.WriteLine($"    - {Printable.Of(tag.Tag)}  ({Printable.Of(tag.Rule)}{stays})");
                foreach (var referrer in tag.Referrers)
                    output.WriteLine($"      + {Printable.Of(referrer.Tag)}  (referrer, removed with it)");
            }
            if (repository.OrphanedReferrers.Count > 0)
                output.WriteLine($"    orphaned referrers (subject not in the repository): {string.Join(", ", repository.OrphanedReferrers.Select(Printable.Of))}");
        }
        if (report.CondemnedNotListed > 0)
            output.WriteLine($"  … and {report.CondemnedNotListed} more condemned tags, not listed");
        if (report.OrphanedNotListed > 0)
            output.WriteLine($"  … and {report.OrphanedNotListed} more orphaned referrers, not listed");
        output.WriteLine($"  total: {report.TagsScanned} scanned, {report.TagsToDelete} to delete ({report.UntagOnly} untag only, {report.ImagesRemoved} images removed, " +
                         $"{Freed(report.EstimatedBytesFreed)}), {report.DeletionsSent} deletions sent");
    }

    public static string Warning(UnmatchedPattern pattern) =>
        $"warning: {Printable.Of(pattern.Key)} '{Printable.Of(pattern.Pattern)}' matched no {Printable.Of(pattern.MatchedAgainst)} in this run";

    /// <summary>"12.3 MB freed after garbage collection (12,345,678 bytes)".</summary>
    public static string Freed(long? bytes) => bytes switch
    {
        null => "bytes freed unknown",
        0 => "0 bytes freed",
        { } b => $"{Size(b)} freed after garbage collection ({b.ToString("N0", CultureInfo.InvariantCulture)} bytes)",
    };

    private static string Size(long bytes)
    {
        string[] units = ["bytes", "KB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1000 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }
        return unit == 0 ? $"{bytes} bytes" : value.ToString("0.0", CultureInfo.InvariantCulture) + " " + units[unit];
    }
}
