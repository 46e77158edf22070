using RegistryCleaner.Contracts;
using RegistryCleaner.Sandbox;
using RegistryCleaner.Worker.Registries;
using RegistryCleaner.Worker.Registries.Oci;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Registries;

/// <summary>
/// A 404 to a HEAD has no body, so nothing tells the registry API's "unknown" from a proxy's page: the OCI client asks
/// again with a GET, and only the API's own 404 makes a tag or a manifest absent.
/// </summary>
public sealed class HeadNotFoundSpecs : IAsyncLifetime
{
    private const string Oci = "oci", Repository = "team/app";
    private SandboxRegistries _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxRegistries.StartAsync(new SeedRegistry
    {
        Name = Oci,
        Kind = RegistryCleaner.Sandbox.RegistryKind.Oci,
        TagDeleteSupported = false,
        Repositories =
        [
            new SeedRepository
            {
                Name = Repository,
                Tags = [new SeedTag { Name = "v1", Image = "one" }, new SeedTag { Name = "v1-alias", Image = "one" }, new SeedTag { Name = "v2", Image = "two" }],
            },
        ],
    });

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private OciClient Client() => (OciClient)_sandbox.Client(Oci, settings => settings[$"Registries:{Oci}:UntagBatch:LingerMilliseconds"] = "1");

    private void HeadAnswersNotFound(string tag) =>
        _sandbox.Server.Faults.Add(new FaultRule { Registry = Oci, Method = "HEAD", PathPattern = $"/manifests/{tag}$", Probability = 1, Status = 404 });

    [Fact]
    public async Task A_tag_whose_head_answers_404_is_resolved_by_its_manifest()
    {
        var client = Client();
        var digest = await client.Manifests.ResolveAsync(Repository, "v1-alias", new OperationAttempts(), CancellationToken.None);
        HeadAnswersNotFound("v1-alias");

        Assert.NotNull(digest);
        Assert.Equal(digest, await client.Manifests.ResolveAsync(Repository, "v1-alias", new OperationAttempts(), CancellationToken.None));
        Assert.Null(await client.Manifests.ResolveAsync(Repository, "never-pushed", new OperationAttempts(), CancellationToken.None));
    }

    [Fact]
    public async Task An_untag_whose_head_check_answers_404_still_deletes_the_tag_and_only_it()
    {
        HeadAnswersNotFound("v1");

        var result = await Client().DeleteTagAsync(Repository, "v1", new OperationAttempts(), CancellationToken.None);

        Assert.Equal(DeletionOutcome.Deleted, result.Outcome);
        Assert.Equal(["v1-alias", "v2"], _sandbox.State.Tags(Oci, Repository));
    }
}
