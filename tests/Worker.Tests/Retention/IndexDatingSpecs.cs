using RegistryCleaner.Sandbox;
using RegistryCleaner.Worker.Registries;
using RegistryCleaner.Worker.Tests.Registries;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Retention;

/// <summary>How the OCI listing dates images and indexes, read from hand-made manifests in the sandbox registry.</summary>
public sealed class IndexDatingSpecs : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private SandboxRegistries _registries = null!;
    private SandboxImages _images = null!;

    public async Task InitializeAsync()
    {
        _registries = await SandboxRegistries.StartAsync(new SeedRegistry { Name = "oci", Kind = RegistryCleaner.Sandbox.RegistryKind.Oci, Repositories = [new SeedRepository { Name = "team/app" }] });
        _images = new SandboxImages(_registries.Server.EndpointOf("oci"), "team/app");
    }

    public async Task DisposeAsync()
    {
        _images.Dispose();
        await _registries.DisposeAsync();
    }

    private static string DaysAgo(int days) => Now.AddDays(-days).ToString("O");

    private async Task<RegistryTag> ListedAsync(string tag)
    {
        var tags = await _registries.Client("oci").ListTagsAsync("team/app", new OperationAttempts(), CancellationToken.None);
        return Assert.Single(tags!, t => t.Name == tag);
    }

    [Fact]
    public async Task An_index_is_as_old_as_its_newest_platform()
    {
        var old = await _images.ImageAsync("amd64", DaysAgo(30));
        var recent = await _images.ImageAsync("arm64", DaysAgo(1));
        await _images.IndexAsync("multi", [(old, "linux", false), (recent, "linux", false)]);

        var created = (await ListedAsync("multi")).Created;

        Assert.NotNull(created);
        Assert.Equal(Now.AddDays(-1), created.Value, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task An_index_with_a_platform_that_cannot_be_dated_stays_undated()
    {
        var dated = await _images.ImageAsync("amd64", DaysAgo(30));
        var undated = await _images.ImageAsync("arm64", null);
        await _images.IndexAsync("partly", [(dated, "linux", false), (undated, "linux", false)]);

        Assert.Null((await ListedAsync("partly")).Created);
    }

    [Fact]
    public async Task Buildx_attestations_are_no_platforms()
    {
        var platform = await _images.ImageAsync("amd64", DaysAgo(20));
        var provenance = await _images.ImageAsync("provenance", null);
        var sbom = await _images.ImageAsync("sbom", DaysAgo(1));
        await _images.IndexAsync("built", [(platform, "linux", false), (provenance, "unknown", false), (sbom, "linux", true)]);

        var created = (await ListedAsync("built")).Created;

        Assert.NotNull(created);
        Assert.Equal(Now.AddDays(-20), created.Value, TimeSpan.FromSeconds(1));
    }

    [Theory]
    [InlineData("1970-01-01T00:00:00Z")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("1979-12-31T23:59:59Z")]
    public async Task Reproducible_build_dates_before_1980_are_no_dates(string stamp)
    {
        var image = await _images.ImageAsync("epoch", stamp, tag: "image");
        await _images.IndexAsync("index", [(image, "linux", false)]);
        var dated = await _images.ImageAsync("dated", DaysAgo(3));
        await _images.IndexAsync("annotated", [(dated, "linux", false)], createdAnnotation: stamp);

        Assert.Null((await ListedAsync("image")).Created);
        Assert.Null((await ListedAsync("index")).Created);
        var fallback = (await ListedAsync("annotated")).Created;
        Assert.NotNull(fallback);
        Assert.Equal(Now.AddDays(-3), fallback.Value, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_1980_date_is_kept()
    {
        await _images.ImageAsync("old", "1980-01-01T00:00:00Z", tag: "old");

        Assert.Equal(new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero), (await ListedAsync("old")).Created);
    }

    [Fact]
    public async Task A_signature_subject_is_absent_only_when_the_registry_says_it_is_unknown()
    {
        var untagged = await _images.ImageAsync("untagged", DaysAgo(2));
        await _images.ImageAsync("kept", DaysAgo(2), tag: "v1");
        const string gone = "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";
        await _images.ImageAsync("sig-1", DaysAgo(1), tag: untagged.Replace(':', '-') + ".sig");
        await _images.ImageAsync("sig-2", DaysAgo(1), tag: gone.Replace(':', '-') + ".sig");

        Assert.Equal(SubjectPresence.Present, (await ListedAsync(untagged.Replace(':', '-') + ".sig")).SubjectPresence);
        Assert.Equal(SubjectPresence.Absent, (await ListedAsync(gone.Replace(':', '-') + ".sig")).SubjectPresence);
    }

    [Fact]
    public async Task A_404_to_the_subjects_head_is_no_proof_it_is_gone()
    {
        var untagged = await _images.ImageAsync("untagged", DaysAgo(2));
        await _images.ImageAsync("sig", DaysAgo(1), tag: untagged.Replace(':', '-') + ".sig");
        _registries.Server.Faults.Add(new FaultRule { Registry = "oci", Method = "HEAD", PathPattern = "manifests/sha256:", Probability = 1, Status = 404 });

        Assert.Equal(SubjectPresence.Present, (await ListedAsync(untagged.Replace(':', '-') + ".sig")).SubjectPresence);
    }

    [Fact]
    public async Task A_subject_the_registry_cannot_answer_for_fails_the_listing_rather_than_make_an_orphan()
    {
        const string subject = "sha256:dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd";
        await _images.ImageAsync("sig", DaysAgo(1), tag: subject.Replace(':', '-') + ".sig");
        _registries.Server.Faults.Add(new FaultRule { Registry = "oci", Method = "HEAD", PathPattern = "manifests/sha256:d", Probability = 1, Status = 403 });

        await Assert.ThrowsAsync<RegistryFailureException>(() => ListedAsync(subject.Replace(':', '-') + ".sig"));
    }
}
