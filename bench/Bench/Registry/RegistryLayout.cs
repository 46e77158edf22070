namespace RegistryCleaner.Bench.Registry;

/// <summary>
/// The 500 tags each method deletes: 5 repositories of 100 tags, every image unique except that tag
/// <c>t&lt;10k+1&gt;</c> shares the image (digest) of <c>t&lt;10k&gt;</c>, 50 such pairs in all.
/// </summary>
public sealed record RegistryLayout(string Prefix, int Repositories, int TagsPerRepository)
{
    public static RegistryLayout For(string method, int tags) => new($"bench/{method}-{Guid.NewGuid().ToString("N")[..6]}", Math.Max(1, tags / 100), Math.Min(tags, 100));

    public int TagCount => Repositories * TagsPerRepository;
    public int SiblingPairs => Repositories * ((TagsPerRepository + 8) / 10);

    public IEnumerable<string> RepositoryNames => Enumerable.Range(0, Repositories).Select(r => $"{Prefix}-{r}");

    /// <summary>Every tag, in the order each method deletes them.</summary>
    public IEnumerable<(string Repository, string Tag)> Tags =>
        RepositoryNames.SelectMany(repository => Enumerable.Range(0, TagsPerRepository).Select(i => (repository, TagName(i))));

    /// <summary>The images to push: the tags pointing at each.</summary>
    public IEnumerable<(string Repository, string[] Tags)> Images =>
        RepositoryNames.SelectMany(repository => Enumerable.Range(0, TagsPerRepository)
            .Where(i => i % 10 != 1)
            .Select(i => (repository, i % 10 == 0 && i + 1 < TagsPerRepository ? new[] { TagName(i), TagName(i + 1) } : [TagName(i)])));

    private static string TagName(int i) => $"t{i:D3}";
}
