using RegistryCleaner.Worker.Registries;
using RegistryCleaner.Worker.Retention;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Retention;

/// <summary>The bytes a plan frees: blobs of removed manifests that no kept manifest uses, each manifest read once.</summary>
public sealed class FreedSpaceSpecs
{
    private sealed class Manifests(Dictionary<string, ManifestParts> parts) : IImageContents
    {
        public List<string> Reads { get; } = [];

        public Task<ManifestParts?> ManifestPartsAsync(string repository, string digest, OperationAttempts attempts, CancellationToken ct)
        {
            Reads.Add(digest);
            return Task.FromResult(parts.GetValueOrDefault(digest));
        }
    }

    private static ManifestParts Image(params (string Digest, long Size)[] blobs) => new(blobs.Select(b => new BlobRef(b.Digest, b.Size)).ToList(), []);

    private static Task<long?> Estimate(Manifests manifests, string[] removed, string[] kept) =>
        new FreedSpace(manifests, "team/app", new OperationAttempts(), CancellationToken.None).EstimateAsync(removed, kept);

    [Fact]
    public async Task Only_the_layers_no_kept_image_uses_are_counted()
    {
        var manifests = new Manifests(new()
        {
            ["old"] = Image(("base", 1000), ("old-layer", 300), ("old-config", 20)),
            ["new"] = Image(("base", 1000), ("new-layer", 500), ("new-config", 20)),
        });

        Assert.Equal(320, await Estimate(manifests, ["old"], ["new"]));
    }

    [Fact]
    public async Task An_index_frees_its_platform_images_and_each_manifest_is_read_once()
    {
        var manifests = new Manifests(new()
        {
            ["index"] = new ManifestParts([], ["amd64", "arm64"]),
            ["amd64"] = Image(("amd64-layer", 700), ("amd64-config", 10)),
            ["arm64"] = Image(("arm64-layer", 600), ("arm64-config", 10)),
            ["kept-index"] = new ManifestParts([], ["arm64", "other"]),
            ["other"] = Image(("other-layer", 5)),
        });

        Assert.Equal(710, await Estimate(manifests, ["index"], ["kept-index"]));
        Assert.Equal(manifests.Reads.Count, manifests.Reads.Distinct().Count());
    }

    [Fact]
    public async Task Kept_manifests_are_no_longer_read_once_every_removed_blob_is_claimed()
    {
        var manifests = new Manifests(new()
        {
            ["old"] = Image(("base", 1000)),
            ["a"] = Image(("base", 1000)),
            ["b"] = Image(("base", 1000)),
        });

        Assert.Equal(0, await Estimate(manifests, ["old"], ["a", "b"]));
        Assert.DoesNotContain("b", manifests.Reads);
    }

    [Fact]
    public async Task A_manifest_that_cannot_be_read_gives_no_estimate()
    {
        var manifests = new Manifests(new() { ["old"] = Image(("layer", 10)) });

        Assert.Null(await Estimate(manifests, ["old"], ["unreadable"]));
    }
}
