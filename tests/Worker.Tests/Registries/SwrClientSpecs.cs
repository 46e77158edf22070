using RegistryCleaner.Contracts;
using RegistryCleaner.Sandbox;
using RegistryCleaner.Worker.Registries;
using Xunit;
using static RegistryCleaner.Worker.Tests.Registries.SandboxRegistries;

namespace RegistryCleaner.Worker.Tests.Registries;

public sealed class SwrClientSpecs : IAsyncLifetime
{
    private const string Swr = "swr";
    private SandboxRegistries _sandbox = null!;
    private IRegistryClient _client = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxRegistries.StartAsync(RegistrySeeds.Swr());
        _client = _sandbox.Client(Swr);
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task Deletes_a_tag_and_keeps_its_siblings()
    {
        var attempts = new OperationAttempts();

        var result = await _client.DeleteTagAsync("acme/web", "v1", attempts, CancellationToken.None);

        Assert.Equal(DeletionOutcome.Deleted, result.Outcome);
        Assert.Equal(["latest", "v2", "v3"], _sandbox.State.Tags(Swr, "acme/web"));
        Assert.Equal(1, attempts.Attempts);
        Assert.Equal("/v2/manage/namespaces/acme/repos/web/tags/v1", Assert.Single(_sandbox.Requests(Swr)).RawPath);
    }

    [Fact]
    public async Task A_second_delete_finds_the_tag_already_absent()
    {
        await _client.DeleteTagAsync("acme/web", "v1", new OperationAttempts(), CancellationToken.None);

        var result = await _client.DeleteTagAsync("acme/web", "v1", new OperationAttempts(), CancellationToken.None);

        Assert.Equal(DeletionOutcome.AlreadyAbsent, result.Outcome);
    }

    [Fact]
    public async Task A_nested_repository_travels_with_a_dollar_and_is_signed_as_sent()
    {
        var result = await _client.DeleteTagAsync("acme/team/web", "v1.2", new OperationAttempts(), CancellationToken.None);

        Assert.Equal(DeletionOutcome.Deleted, result.Outcome);
        Assert.Equal(["v1.3"], _sandbox.State.Tags(Swr, "acme/team/web"));
        Assert.Equal("/v2/manage/namespaces/acme/repos/team$web/tags/v1.2", Assert.Single(_sandbox.Requests(Swr)).RawPath);
    }

    [Fact]
    public async Task An_iam_token_is_accepted_in_place_of_a_signature()
    {
        var client = _sandbox.Client(Swr, v =>
        {
            v["Registries:swr:AccessKey"] = null;
            v["Registries:swr:SecretKey"] = null;
            v["Registries:swr:Token"] = RegistrySeeds.Token;
        });

        var result = await client.DeleteTagAsync("acme/web", "v2", new OperationAttempts(), CancellationToken.None);

        Assert.Equal(DeletionOutcome.Deleted, result.Outcome);
    }

    [Fact]
    public async Task Transient_answers_are_retried_until_the_delete_goes_through()
    {
        _sandbox.Server.Faults.Add(new FaultRule { Registry = Swr, Method = "DELETE", Sequence = [503, 429] });
        var attempts = new OperationAttempts();

        var result = await _client.DeleteTagAsync("acme/web", "v1", attempts, CancellationToken.None);

        Assert.Equal(DeletionOutcome.Deleted, result.Outcome);
        Assert.Equal(3, attempts.Attempts);
        Assert.Equal([503, 429, 204], _sandbox.Requests(Swr).Select(r => r.Status));
    }

    [Fact]
    public async Task Transient_answers_that_last_exhaust_the_attempts()
    {
        _sandbox.Server.Faults.Add(new FaultRule { Registry = Swr, Method = "DELETE", Probability = 1, Status = 503 });

        var failure = await FailsAsync(FailureKind.RetriesExhausted,
            () => _client.DeleteTagAsync("acme/web", "v1", new OperationAttempts(), CancellationToken.None));

        Assert.Equal(503, failure.Status);
        Assert.Equal(MaxAttempts, _sandbox.Requests(Swr).Count);
        Assert.Contains("v1", _sandbox.State.Tags(Swr, "acme/web"));
    }

    [Fact]
    public async Task A_wrong_secret_is_unauthorized_after_signing_once_more()
    {
        const string wrong = "sk-wrong-5be0c3";
        var client = _sandbox.Client(Swr, v => v["Registries:swr:SecretKey"] = wrong);

        var failure = await FailsAsync(FailureKind.Unauthorized,
            () => client.DeleteTagAsync("acme/web", "v1", new OperationAttempts(), CancellationToken.None), wrong, RegistrySeeds.SecretKey);

        Assert.Contains("Registries:swr:AccessKey", failure.Message);
        Assert.Equal(2, _sandbox.Requests(Swr).Count);
        Assert.Contains("v1", _sandbox.State.Tags(Swr, "acme/web"));
    }

    [Fact]
    public async Task A_wrong_token_is_unauthorized_without_another_try()
    {
        const string wrong = "iam-token-wrong-77aa";
        var client = _sandbox.Client(Swr, v => v["Registries:swr:Token"] = wrong);

        await FailsAsync(FailureKind.Unauthorized,
            () => client.DeleteTagAsync("acme/web", "v1", new OperationAttempts(), CancellationToken.None), wrong, RegistrySeeds.SecretKey);

        Assert.Single(_sandbox.Requests(Swr));
    }

    [Fact]
    public async Task Forbidden_is_permanent()
    {
        _sandbox.Server.Faults.Add(new FaultRule { Registry = Swr, Method = "DELETE", Sequence = [403] });

        await FailsAsync(FailureKind.Forbidden,
            () => _client.DeleteTagAsync("acme/web", "v1", new OperationAttempts(), CancellationToken.None), RegistrySeeds.SecretKey);

        Assert.Single(_sandbox.Requests(Swr));
    }

    [Fact]
    public async Task A_bad_request_is_a_registry_error_that_quotes_the_service()
    {
        _sandbox.Server.Faults.Add(new FaultRule { Registry = Swr, Method = "DELETE", Sequence = [400] });

        var failure = await FailsAsync(FailureKind.RegistryError,
            () => _client.DeleteTagAsync("acme/web", "v1", new OperationAttempts(), CancellationToken.None));

        Assert.Contains("SVCSTG.SWR.4000001", failure.Message);
    }

    [Fact]
    public async Task A_wrong_base_path_meets_the_gateways_route_error_and_is_misconfigured()
    {
        var client = _sandbox.Client(Swr, v => v["Registries:swr:Endpoint"] = new Uri(_sandbox.Server.EndpointOf(Swr), "swr/").AbsoluteUri);

        var failure = await FailsAsync(FailureKind.Misconfigured,
            () => client.DeleteTagAsync("acme/web", "v1", new OperationAttempts(), CancellationToken.None));

        Assert.Contains("APIGW.0101", failure.Message);
        Assert.Contains("Registries:swr:Endpoint", failure.Message);
        Assert.Contains("v1", _sandbox.State.Tags(Swr, "acme/web"));
    }

    [Fact]
    public async Task A_gateway_route_error_on_a_known_path_is_misconfigured_too()
    {
        _sandbox.Server.Faults.Add(new FaultRule { Registry = Swr, GatewayNotFound = true });

        await FailsAsync(FailureKind.Misconfigured,
            () => _client.DeleteTagAsync("acme/web", "v1", new OperationAttempts(), CancellationToken.None));
    }

    [Theory]
    [InlineData("web")]
    [InlineData("acme/")]
    [InlineData("/web")]
    [InlineData("1acme/web")]
    [InlineData("acme/-web")]
    [InlineData("acme/team//web")]
    [InlineData("acme/web/")]
    [InlineData("acme/we.b")]
    [InlineData("acme/wéb")]
    [InlineData("acme/web$x")]
    [InlineData("acme/web\n")]
    public void Repository_names_outside_the_swr_rules_are_refused(string repository) =>
        Assert.NotNull(_client.ValidateRepository(repository));

    [Theory]
    [InlineData("acme/web")]
    [InlineData("acme/team/web")]
    [InlineData("Acme-1/Web_2-x/3")]
    public void Repository_names_inside_the_swr_rules_pass(string repository) =>
        Assert.Null(_client.ValidateRepository(repository));

    [Fact]
    public void A_repository_longer_than_255_characters_after_the_namespace_is_refused()
    {
        Assert.Null(_client.ValidateRepository("acme/" + new string('a', 255)));
        Assert.NotNull(_client.ValidateRepository("acme/" + new string('a', 128) + "/" + new string('b', 127)));
    }

    [Theory]
    [InlineData(".v1")]
    [InlineData("-v1")]
    [InlineData("v1/x")]
    [InlineData("v1:x")]
    [InlineData("v1\n")]
    public void Tags_outside_the_swr_rules_are_refused(string tag) => Assert.NotNull(_client.ValidateTag(tag));

    [Fact]
    public void Tags_up_to_128_characters_pass()
    {
        Assert.Null(_client.ValidateTag("_v1.2-rc"));
        Assert.Null(_client.ValidateTag(new string('a', 128)));
        Assert.NotNull(_client.ValidateTag(new string('a', 129)));
    }

    [Fact]
    public async Task A_name_that_was_not_validated_never_reaches_the_registry()
    {
        await FailsAsync(FailureKind.Rejected,
            () => _client.DeleteTagAsync("acme/../other/web", "y", new OperationAttempts(), CancellationToken.None));

        Assert.Empty(_sandbox.Requests(Swr));
    }

    [Fact]
    public async Task A_repository_that_still_holds_images_is_not_empty()
    {
        var failure = await FailsAsync(FailureKind.RepositoryNotEmpty,
            () => _client.DeleteRepositoryAsync("acme/web", false, new OperationAttempts(), CancellationToken.None));

        Assert.Contains("DeleteTagsFirst", failure.Message);
        Assert.Equal(4, _sandbox.State.Tags(Swr, "acme/web").Count);
    }

    [Fact]
    public async Task Deleting_tags_first_empties_then_deletes_the_repository()
    {
        var result = await _client.DeleteRepositoryAsync("acme/web", true, new OperationAttempts(), CancellationToken.None);

        Assert.Equal(new DeletionResult(DeletionOutcome.Deleted, 4), result);
        Assert.False(_sandbox.State.RepositoryExists(Swr, "acme/web"));
        Assert.Equal(["x"], _sandbox.State.Tags(Swr, "acme/website"));
        Assert.Equal(["y"], _sandbox.State.Tags(Swr, "other/web"));
    }

    [Fact]
    public async Task Deleting_tags_first_lists_every_page_before_deleting()
    {
        var result = await _client.DeleteRepositoryAsync("acme/big", true, new OperationAttempts(), CancellationToken.None);

        Assert.Equal(new DeletionResult(DeletionOutcome.Deleted, 230), result);
        var methods = _sandbox.Requests(Swr).Select(r => r.Method).ToList();
        Assert.Equal(["DELETE", "GET", "GET", "GET"], methods.Take(4));
        Assert.All(methods.Skip(4), m => Assert.Equal("DELETE", m));
    }

    [Fact]
    public async Task An_empty_repository_is_deleted_and_a_missing_one_is_already_absent()
    {
        Assert.Equal(DeletionOutcome.Deleted, (await _client.DeleteRepositoryAsync("acme/empty", false, new OperationAttempts(), CancellationToken.None)).Outcome);
        Assert.Equal(DeletionOutcome.AlreadyAbsent, (await _client.DeleteRepositoryAsync("acme/empty", false, new OperationAttempts(), CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task Listing_tags_gives_the_last_push_times_and_digests()
    {
        var tags = await _client.ListTagsAsync("acme/web", new OperationAttempts(), CancellationToken.None);

        Assert.NotNull(tags);
        var expected = RegistrySeeds.Swr().Repositories.Single(r => r.Name == "acme/web").Tags;
        Assert.Equal(expected.ToDictionary(t => t.Name, t => t.Updated), tags.ToDictionary(t => t.Name, t => t.Created));
        Assert.All(tags, t => Assert.Equal(_sandbox.State.DigestOf(Swr, "acme/web", t.Name), t.Digest));
    }

    [Fact]
    public async Task Listing_tags_follows_content_range_across_pages()
    {
        var tags = await _client.ListTagsAsync("acme/big", new OperationAttempts(), CancellationToken.None);

        Assert.Equal(230, tags!.Select(t => t.Name).Distinct().Count());
        Assert.Equal(["offset=0", "offset=100", "offset=200"], _sandbox.Requests(Swr).Select(r => r.Query.Split('&').Single(p => p.StartsWith("offset="))));
        Assert.All(_sandbox.Requests(Swr), r => Assert.Contains("limit=100", r.Query));
    }

    [Fact]
    public async Task Listing_the_tags_of_a_missing_repository_gives_null()
    {
        Assert.Null(await _client.ListTagsAsync("acme/nothing", new OperationAttempts(), CancellationToken.None));
    }

    [Fact]
    public async Task Listing_repositories_gives_namespace_and_name()
    {
        var repositories = new List<string>();
        await foreach (var repository in _client.ListRepositoriesAsync(new OperationAttempts(), CancellationToken.None))
            repositories.Add(repository);

        Assert.Equal(_sandbox.State.Repositories(Swr).Order(StringComparer.Ordinal), repositories.Order(StringComparer.Ordinal));
    }
}
