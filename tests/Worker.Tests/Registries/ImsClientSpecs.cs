using RegistryCleaner.Contracts;
using RegistryCleaner.Sandbox;
using RegistryCleaner.Worker.Registries;
using Xunit;
using static RegistryCleaner.Worker.Tests.Registries.SandboxRegistries;

namespace RegistryCleaner.Worker.Tests.Registries;

public sealed class ImsClientSpecs : IAsyncLifetime
{
    private const string Ims = "ims";
    private const string Image = RegistrySeeds.ImageId;
    private SandboxRegistries _sandbox = null!;
    private IRegistryClient _client = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxRegistries.StartAsync(RegistrySeeds.Ims());
        _client = _sandbox.Client(Ims);
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task Deletes_a_key_and_keeps_the_others()
    {
        var result = await _client.DeleteTagAsync(Image, "env", new OperationAttempts(), CancellationToken.None);

        Assert.Equal(DeletionOutcome.Deleted, result.Outcome);
        Assert.Equal(["owner", "team/owner x", "键"], _sandbox.State.Tags(Ims, Image));
        Assert.Equal($"/v2/{RegistrySeeds.ProjectId}/images/{Image}/tags/env", Assert.Single(_sandbox.Requests(Ims)).RawPath);
    }

    [Fact]
    public async Task A_missing_key_is_already_absent_although_the_api_is_not_idempotent()
    {
        await _client.DeleteTagAsync(Image, "env", new OperationAttempts(), CancellationToken.None);

        var result = await _client.DeleteTagAsync(Image, "env", new OperationAttempts(), CancellationToken.None);

        Assert.Equal(DeletionOutcome.AlreadyAbsent, result.Outcome);
        Assert.Equal([("DELETE", 204), ("DELETE", 404), ("GET", 200)], _sandbox.Requests(Ims).Select(r => (r.Method, r.Status)));
        Assert.Equal($"/v2/{RegistrySeeds.ProjectId}/images/{Image}/tags", _sandbox.Requests(Ims)[^1].RawPath);
    }

    [Fact]
    public async Task A_wrong_project_id_is_misconfigured_not_absent()
    {
        const string wrongProject = "0b1c2d3e4f-typo";
        var client = _sandbox.Client(Ims, v => v["Registries:ims:ProjectId"] = wrongProject);

        var failure = await FailsAsync(FailureKind.Misconfigured,
            () => client.DeleteTagAsync(Image, "env", new OperationAttempts(), CancellationToken.None), RegistrySeeds.SecretKey, RegistrySeeds.Token);

        Assert.Equal(404, failure.Status);
        Assert.Contains($"image {Image} not found in project {wrongProject}", failure.Message);
        Assert.Contains("Registries:ims:ProjectId", failure.Message);
        Assert.Contains("nothing is assumed deleted", failure.Message);
        Assert.Equal(["env", "owner", "team/owner x", "键"], _sandbox.State.Tags(Ims, Image));
    }

    [Fact]
    public async Task An_unknown_image_is_misconfigured_not_absent()
    {
        const string missing = "0000-missing";

        var failure = await FailsAsync(FailureKind.Misconfigured,
            () => _client.DeleteTagAsync(missing, "env", new OperationAttempts(), CancellationToken.None));

        Assert.Contains($"image {missing} not found in project {RegistrySeeds.ProjectId}", failure.Message);
        Assert.Equal([("DELETE", 404), ("GET", 404)], _sandbox.Requests(Ims).Select(r => (r.Method, r.Status)));
        Assert.Contains("env", _sandbox.State.Tags(Ims, Image));
    }

    [Theory]
    [InlineData("team/owner x", "team%2Fowner%20x")]
    [InlineData("键", "%E9%94%AE")]
    public async Task Any_key_is_sent_as_one_escaped_segment_and_signed_as_sent(string key, string segment)
    {
        var result = await _client.DeleteTagAsync(Image, key, new OperationAttempts(), CancellationToken.None);

        Assert.Equal(DeletionOutcome.Deleted, result.Outcome);
        Assert.DoesNotContain(key, _sandbox.State.Tags(Ims, Image));
        Assert.EndsWith("/tags/" + segment, Assert.Single(_sandbox.Requests(Ims)).RawPath);
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    public void Dot_keys_are_refused_because_a_path_would_collapse_them(string key) => Assert.NotNull(_client.ValidateTag(key));

    [Theory]
    [InlineData("a b/c?d#e%f")]
    [InlineData("...")]
    [InlineData("键")]
    public void Other_keys_pass_unchecked_as_the_api_documents(string key) => Assert.Null(_client.ValidateTag(key));

    [Theory]
    [InlineData("")]
    [InlineData("../images")]
    [InlineData("67e17426_359e")]
    public void Image_ids_must_be_letters_digits_and_dashes(string imageId) => Assert.NotNull(_client.ValidateRepository(imageId));

    [Fact]
    public void An_image_id_passes_up_to_64_characters()
    {
        Assert.Null(_client.ValidateRepository(Image));
        Assert.Null(_client.ValidateRepository(new string('a', 64)));
        Assert.NotNull(_client.ValidateRepository(new string('a', 65)));
    }

    [Fact]
    public async Task A_503_is_retried()
    {
        _sandbox.Server.Faults.Add(new FaultRule { Registry = Ims, Method = "DELETE", Sequence = [503, 503] });
        var attempts = new OperationAttempts();

        var result = await _client.DeleteTagAsync(Image, "env", attempts, CancellationToken.None);

        Assert.Equal(DeletionOutcome.Deleted, result.Outcome);
        Assert.Equal(3, attempts.Attempts);
    }

    [Fact]
    public async Task A_503_that_lasts_exhausts_the_attempts()
    {
        _sandbox.Server.Faults.Add(new FaultRule { Registry = Ims, Probability = 1, Status = 503 });

        await FailsAsync(FailureKind.RetriesExhausted, () => _client.DeleteTagAsync(Image, "env", new OperationAttempts(), CancellationToken.None));

        Assert.Equal(MaxAttempts, _sandbox.Requests(Ims).Count);
        Assert.Contains("env", _sandbox.State.Tags(Ims, Image));
    }

    [Fact]
    public async Task A_wrong_secret_is_unauthorized()
    {
        const string wrong = "sk-wrong-ims-01";
        var client = _sandbox.Client(Ims, v => v["Registries:ims:SecretKey"] = wrong);

        await FailsAsync(FailureKind.Unauthorized,
            () => client.DeleteTagAsync(Image, "env", new OperationAttempts(), CancellationToken.None), wrong, RegistrySeeds.SecretKey);

        Assert.Contains("env", _sandbox.State.Tags(Ims, Image));
    }

    [Fact]
    public async Task A_wrong_base_path_is_misconfigured_not_absent()
    {
        var client = _sandbox.Client(Ims, v => v["Registries:ims:Endpoint"] = new Uri(_sandbox.Server.EndpointOf(Ims), "ims/").AbsoluteUri);

        var failure = await FailsAsync(FailureKind.Misconfigured,
            () => client.DeleteTagAsync(Image, "env", new OperationAttempts(), CancellationToken.None));

        Assert.Contains("Registries:ims:Endpoint", failure.Message);
    }

    [Fact]
    public async Task Images_cannot_be_deleted_or_listed_as_repositories()
    {
        await FailsAsync(FailureKind.NotSupported, () => _client.DeleteRepositoryAsync(Image, true, new OperationAttempts(), CancellationToken.None));
        Assert.Equal(FailureKind.NotSupported,
            Assert.Throws<RegistryFailureException>(() => _client.ListRepositoriesAsync(new OperationAttempts(), CancellationToken.None)).Kind);
        Assert.Empty(_sandbox.Requests(Ims));
    }

    [Fact]
    public async Task Listing_gives_the_keys_undated()
    {
        var tags = await _client.ListTagsAsync(Image, new OperationAttempts(), CancellationToken.None);

        Assert.Equal(_sandbox.State.Tags(Ims, Image), tags!.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.All(tags!, t => Assert.Null(t.Created));
    }

    [Fact]
    public async Task Listing_a_missing_image_gives_null()
    {
        Assert.Null(await _client.ListTagsAsync("0000-missing", new OperationAttempts(), CancellationToken.None));
    }
}
