using RegistryCleaner.Contracts;

namespace RegistryCleaner.Publisher.History;

/// <summary>A journal entry as one readable row.</summary>
public static class JournalRows
{
    public const string Header = "TIME (UTC)           ACTION            OUTCOME        TARGET / DIGEST";

    public static string Of(JournalRecord e)
    {
        var target = e.Tag is null ? $"{e.Registry}/{e.Repository}" : $"{e.Registry}/{e.Repository}:{e.Tag}";
        var digest = e.Digest is null ? "" : $"@{Short(e.Digest)}";
        var who = e.VerifiedPublisher ?? "unverified";
        var by = e.RequestedBy is null ? "" : $" ({e.RequestedBy})";
        var run = e.Policy is null ? e.RunId is { } id ? $"  run={id}" : "" : $"  policy={e.Policy} run={e.RunId}";
        var bytes = e.BytesFreed is { } n ? $"  freed={n:N0} B" : "";
        var line = $"{e.RecordedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}  {e.Action,-16}  {e.Outcome,-13}  {target}{digest}  request={e.RequestId}{run}  by {who}{by}{bytes}";
        if (e.Reason is not null)
            line += $"  reason: {e.Reason}";
        return e.Detail is null ? line : line + Environment.NewLine + "                     " + e.Detail;
    }

    private static string Short(string digest) => digest.StartsWith("sha256:", StringComparison.Ordinal) && digest.Length > 19 ? digest[..19] + "…" : digest;
}
