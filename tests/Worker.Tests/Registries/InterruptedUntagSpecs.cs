using System.Net.Http.Headers;
using RegistryCleaner.Contracts;
using RegistryCleaner.Sandbox;
using RegistryCleaner.Worker.Registries;
using RegistryCleaner.Worker.Registries.Oci;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Registries;

/// <summary>
/// A tag found on a throw-away manifest (a worker stopped between re-pointing it and the DELETE) is judged by the image
/// its batch recorded: that is the digest a retention run condemned, and the one the journal must keep.
/// </summary>
public sealed class InterruptedUntagSpecs : IAsyncLifetime
{
    private const string Oci = "oci", Repository = "team/app";
    private SandboxRegistries _sandbox = null!;
    private string _image = "";

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxRegistries.StartAsync(new SeedRegistry
        {
            Name = Oci,
            Kind = RegistryCleaner.Sandbox.RegistryKind.Oci,
            TagDeleteSupported = false,
            Repositories = [new SeedRepository { Name = Repository, Tags = [new SeedTag { Name = "v1", Image = "one" }, new SeedTag { Name = "v1-alias", Image = "one" }] }],
        });
        _image = _sandbox.State.DigestOf(Oci, Repository, "v1")!;
        // As a stopped batch left it: v1 re-pointed at a throw-away manifest that records v1's image.
        using var http = new HttpClient { BaseAddress = _sandbox.Server.EndpointOf(Oci) };
        using (var blob = new ByteArrayContent(ThrowawayManifest.ConfigBlob))
            (await http.PostAsync($"v2/{Repository}/blobs/uploads/?digest={ThrowawayManifest.ConfigDigest}", blob)).EnsureSuccessStatusCode();
        using var manifest = new ByteArrayContent(ThrowawayManifest.Create([("v1", _image)]));
        manifest.Headers.ContentType = new MediaTypeHeaderValue(ThrowawayManifest.MediaType);
        (await http.PutAsync($"v2/{Repository}/manifests/v1", manifest)).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private OciClient Client() => (OciClient)_sandbox.Client(Oci, settings => settings[$"Registries:{Oci}:UntagBatch:LingerMilliseconds"] = "1");

    [Fact]
    public async Task The_delete_finishes_under_the_condemned_digest_and_notes_the_image_not_the_throwaway()
    {
        string? noted = null;

        var result = await Client().DeleteTagAsync(Repository, "v1", onlyIfDigest: _image,
            (digest, _) => Task.FromResult((noted = digest) is not null), new OperationAttempts(), CancellationToken.None);

        Assert.Equal(DeletionOutcome.Deleted, result.Outcome);
        Assert.Equal(_image, noted);
        Assert.Equal(["v1-alias"], _sandbox.State.Tags(Oci, Repository));
    }

    [Fact]
    public async Task A_recorded_image_other_than_the_condemned_one_keeps_the_tag()
    {
        var failure = await Assert.ThrowsAsync<RegistryFailureException>(() => Client().DeleteTagAsync(Repository, "v1",
            onlyIfDigest: "sha256:" + new string('e', 64), beforeDelete: null, new OperationAttempts(), CancellationToken.None));

        Assert.Equal(FailureKind.Forbidden, failure.Kind);
        Assert.Contains(_image, failure.Message);
        Assert.Contains("v1", _sandbox.State.Tags(Oci, Repository));
    }
}
