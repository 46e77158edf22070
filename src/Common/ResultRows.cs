using RegistryCleaner.Contracts;

namespace RegistryCleaner.Common;

/// <summary>
/// Result events as one readable row each, shared by the worker's demo output and the Publisher. Names and details come
/// from messages, so control characters are shown as '?': an event cannot move the cursor or rewrite a terminal line.
/// </summary>
public static class ResultRows
{
    public static string Of(DeletionSucceeded s)
    {
        var what = s.Tag is null ? $"{s.Registry}/{s.Repository}" : $"{s.Registry}/{s.Repository}:{s.Tag}";
        var tags = s.TagsDeleted is { } n ? $"  tags={n}" : "";
        var outcome = s.Outcome == DeletionOutcome.AlreadyAbsent ? "already-absent" : "deleted";
        return Printable.Of($"{s.CompletedAt:HH:mm:ss}  {outcome,-15} {what}  attempts={s.Attempts}{tags}  {s.Elapsed.TotalMilliseconds:F0} ms  request={s.RequestId}");
    }

    public static string Of(DeletionFailed f)
    {
        var target = f.Tag is null ? $"{f.Registry}/{f.Repository}" : $"{f.Registry}/{f.Repository}:{f.Tag}";
        var status = f.LastStatus is { } code ? $" status={code}" : "";
        return Printable.Of($"{f.FailedAt:HH:mm:ss}  FAILED {f.Failure,-8} {target}  attempts={f.Attempts}{status}  request={f.RequestId}") + "\n          " + Printable.Of(f.Detail);
    }
}
