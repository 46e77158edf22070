using RegistryCleaner.Contracts;
using RegistryCleaner.Publisher.Messaging;

namespace RegistryCleaner.Publisher.Tests;

public sealed class WatchFilterSpecs
{
    private static readonly Guid Run = Guid.NewGuid();

    private static readonly ResultEvent Deleted = new(new DeletionSucceeded { RequestId = Guid.NewGuid(), Registry = "oci", Outcome = DeletionOutcome.Deleted, RunId = Run }, null);
    private static readonly ResultEvent Absent = new(new DeletionSucceeded { RequestId = Guid.NewGuid(), Registry = "swr", Outcome = DeletionOutcome.AlreadyAbsent }, null);
    private static readonly ResultEvent Failed = new(null, new DeletionFailed { RequestId = Guid.NewGuid(), Registry = "OCI", Failure = FailureKind.Unauthorized });

    private static IEnumerable<ResultEvent> Shown(WatchFilter filter) => new[] { Deleted, Absent, Failed }.Where(filter.Matches);

    [Fact]
    public void No_filter_shows_everything() => Assert.Equal([Deleted, Absent, Failed], Shown(WatchFilter.Of(null, null, null, null)));

    [Fact]
    public void Registry_names_match_without_regard_to_case() => Assert.Equal([Deleted, Failed], Shown(WatchFilter.Of(["oci"], null, null, null)));

    [Fact]
    public void Outcomes_are_alternatives() => Assert.Equal([Absent, Failed], Shown(WatchFilter.Of(null, ["absent", "failed"], null, null)));

    [Fact]
    public void A_run_shows_only_its_deletions() => Assert.Equal([Deleted], Shown(WatchFilter.Of(null, null, [Run], null)));

    [Fact]
    public void A_request_shows_only_its_result() => Assert.Equal([Failed], Shown(WatchFilter.Of(null, null, null, [Failed.RequestId])));

    [Fact]
    public void Filters_combine() => Assert.Empty(Shown(WatchFilter.Of(["swr"], ["failed"], null, null)));
}
