using RegistryCleaner.Bench.Registry;

namespace RegistryCleaner.Bench.Untag;

/// <summary>
/// One repository for the untag comparison: <see cref="Asked"/> tags to delete, each on an image of its own, except that
/// every tenth also has a sibling tag on the same image that is not asked for (so 10% of the asked tags are sibling
/// pairs). Every method gets a fresh repository of this shape.
/// </summary>
public sealed record UntagLayout(string Repository, int Asked)
{
    public static UntagLayout For(string method, int asked) => new($"bench/untag-{method}-{Guid.NewGuid().ToString("N")[..6]}", asked);

    public IReadOnlyList<string> AskedTags => [.. Enumerable.Range(0, Asked).Select(TagName)];

    public IReadOnlyList<string> SiblingsOf(IEnumerable<string> asked) => [.. asked.Where(HasSibling).Select(Sibling)];

    public int Pairs => AskedTags.Count(HasSibling);

    public Task PushAsync(RegistryApi api, int concurrency) =>
        api.PushAsync([Repository], AskedTags.Select(t => (Repository, HasSibling(t) ? new[] { t, Sibling(t) } : [t])), concurrency);

    private static string TagName(int i) => $"t{i:D5}";
    private static bool HasSibling(string tag) => int.Parse(tag.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture) % 10 == 0;
    private static string Sibling(string tag) => tag + "-sibling";
}
