// The collections share one broker, registry and PostgreSQL server, each in virtual hosts, repositories and databases of
// its own; they run a few at a time, as many as keep a two-core machine busy without starving the timing-bound tests.
[assembly: Xunit.CollectionBehavior(MaxParallelThreads = 4)]
[assembly: Xunit.TestCollectionOrderer("RegistryCleaner.Integration.Tests.Support.LongestFirst", "RegistryCleaner.Integration.Tests")]
