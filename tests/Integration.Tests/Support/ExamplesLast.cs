using Xunit.Abstractions;

namespace RegistryCleaner.Integration.Tests.Support;

/// <summary>
/// xunit's own order (by unique id), except that the examples run last: scripts/test.sh publishes the single-file CLI
/// that one of them needs while the other collections run.
/// </summary>
public sealed class ExamplesLast : ITestCollectionOrderer
{
    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(c => c.DisplayName.Contains(ExamplesCollection.Name, StringComparison.Ordinal))
            .ThenBy(c => c.UniqueID);
}
