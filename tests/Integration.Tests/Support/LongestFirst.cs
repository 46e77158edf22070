using Xunit.Abstractions;

namespace RegistryCleaner.Integration.Tests.Support;

/// <summary>
/// The collections run side by side, a few at a time: those that take longest start first, so that none of them starts
/// late and runs on alone after the others are done; the rest keep xunit's order (by unique id). First of all come those
/// that mostly wait (the poison loop on the worker's reconnections, the registry protection on a rate limit and an
/// outage): they take as long on a busy machine as on a quiet one. The examples run last: scripts/test.sh publishes the
/// single-file CLI that one of them needs while the other collections run.
/// </summary>
public sealed class LongestFirst : ITestCollectionOrderer
{
    /// <summary>Collections, or test classes that are a collection of their own, longest first (as measured side by side).</summary>
    private static readonly string[] Longest =
    [
        nameof(PoisonLoopTests), nameof(ScaleOutRegistryProtectionTests),
        nameof(HostileHeaderTests), nameof(BrokerRestartTests), nameof(ScaleOutSchedulerTests), nameof(PublisherBatchTests),
        nameof(RetentionImageTests), WorkerCollection.Name, nameof(OciUntagBatchKillTests), nameof(WorkerKillTests), nameof(OciUntagBatchTests),
        nameof(JournalDurabilityTests), nameof(ScaleOutCompetingConsumersTests), nameof(PublisherJournalCommandTests),
        PublisherRedriveCollection.Name, nameof(PublisherCommandLineTests),
    ];

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(c => c.DisplayName.Contains(ExamplesCollection.Name, StringComparison.Ordinal))
            .ThenBy(Rank)
            .ThenBy(c => c.UniqueID);

    private static int Rank(ITestCollection collection)
    {
        var rank = Array.FindIndex(Longest, name => collection.DisplayName == name || collection.DisplayName.EndsWith("." + name, StringComparison.Ordinal));
        return rank < 0 ? Longest.Length : rank;
    }
}
