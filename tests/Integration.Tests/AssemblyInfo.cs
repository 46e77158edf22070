[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
[assembly: Xunit.TestCollectionOrderer("RegistryCleaner.Integration.Tests.Support.ExamplesLast", "RegistryCleaner.Integration.Tests")]
