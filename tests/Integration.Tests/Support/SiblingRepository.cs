namespace RegistryCleaner.Integration.Tests.Support;

/// <summary>
/// A repository on the real registry for the untag batch tests: <c>asked</c> tags to delete, each on an image of its own,
/// except that <c>pairs</c> of them share their image with a sibling tag that is not asked for; plus one more tag not asked for.
/// </summary>
public sealed record SiblingRepository(string Name, IReadOnlyDictionary<string, string> Digests, IReadOnlyList<string> Asked, IReadOnlyList<string> Kept)
{
    public static async Task<SiblingRepository> PushAsync(ImagePusher registry, string prefix, int asked, int pairs)
    {
        var name = TestServices.UniqueRepository(prefix);
        var images = Enumerable.Range(0, asked).Select(i => i < pairs ? new[] { $"p{i:D3}", $"p{i:D3}-sibling" } : [$"t{i:D3}"])
            .Append(["kept"])
            .ToList();
        var digests = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        foreach (var chunk in images.Chunk(8))
        {
            await Task.WhenAll(chunk.Select(async tags =>
            {
                var digest = await registry.PushAsync(name, tags[0], tags);
                foreach (var tag in tags)
                    digests[tag] = digest;
            }));
        }
        var askedTags = images.Take(asked).Select(tags => tags[0]).ToList();
        return new SiblingRepository(name, digests, askedTags, [.. digests.Keys.Except(askedTags).Order(StringComparer.Ordinal)]);
    }

    /// <summary>Only the tags not asked for are left, each on the image it had; none is left dangling (listed but unknown).</summary>
    public async Task AssertExactAsync(ImagePusher registry)
    {
        Assert.Equal(Kept, await registry.TagsAsync(Name));
        foreach (var tag in Kept)
            Assert.Equal(Digests[tag], await registry.ResolveAsync(Name, tag));
    }
}
