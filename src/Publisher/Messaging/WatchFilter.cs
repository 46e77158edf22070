using RegistryCleaner.Contracts;

namespace RegistryCleaner.Publisher.Messaging;

/// <summary>Which result events <c>watch</c> shows: every given filter must match; several values of one filter are alternatives.</summary>
public sealed record WatchFilter(IReadOnlySet<string> Registries, IReadOnlySet<string> Outcomes, IReadOnlySet<Guid> Runs, IReadOnlySet<Guid> Requests)
{
    public const string Deleted = "deleted";
    public const string Absent = "absent";
    public const string Failed = "failed";

    public static readonly string[] OutcomeNames = [Deleted, Absent, Failed];

    public static WatchFilter Of(IEnumerable<string>? registries, IEnumerable<string>? outcomes, IEnumerable<Guid>? runs, IEnumerable<Guid>? requests) => new(
        (registries ?? []).ToHashSet(StringComparer.OrdinalIgnoreCase),
        (outcomes ?? []).Select(o => o.ToLowerInvariant()).ToHashSet(),
        (runs ?? []).ToHashSet(),
        (requests ?? []).ToHashSet());

    public bool Matches(ResultEvent result)
    {
        var (registry, runId) = result.Succeeded is { } s ? (s.Registry, s.RunId) : (result.Failed!.Registry, result.Failed.RunId);
        return (Registries.Count == 0 || Registries.Contains(registry))
            && (Outcomes.Count == 0 || Outcomes.Contains(OutcomeOf(result)))
            && (Runs.Count == 0 || runId is { } run && Runs.Contains(run))
            && (Requests.Count == 0 || Requests.Contains(result.RequestId));
    }

    public static string OutcomeOf(ResultEvent result) => result switch
    {
        { Failed: not null } => Failed,
        { Succeeded.Outcome: DeletionOutcome.AlreadyAbsent } => Absent,
        _ => Deleted,
    };
}
