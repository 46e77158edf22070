using Microsoft.Extensions.DependencyInjection;
using RegistryCleaner.Contracts;
using RegistryCleaner.Sandbox;
using RegistryCleaner.Worker.Registries;
using Xunit;
using static RegistryCleaner.Worker.Tests.Registries.SandboxRegistries;

namespace RegistryCleaner.Worker.Tests.Registries;

public sealed class NcrClientSpecs : IAsyncLifetime
{
    private const string Ncr = "ncr";
    // Starts at the real time: the sandbox checks the timestamps of NCR signatures against its own clock.
    private readonly WatchedClock _clock = new(DateTimeOffset.UtcNow);
    private SandboxRegistries _sandbox = null!;
    private IRegistryClient _client = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxRegistries.StartAsync(_clock, RegistrySeeds.Ncr());
        _client = _sandbox.Client(Ncr);
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task Deletes_a_tag_with_the_image_name_escaped_and_keeps_its_siblings()
    {
        var attempts = new OperationAttempts();

        var result = await _client.DeleteTagAsync("hello/world", "v1", attempts, CancellationToken.None);

        Assert.Equal(DeletionOutcome.Deleted, result.Outcome);
        Assert.Equal(["v2", "v3", "v4", "v5"], _sandbox.State.Tags(Ncr, "hello/world"));
        Assert.Equal("/ncr/api/v2/repositories/myreg/hello%2Fworld/tags/v1", Assert.Single(_sandbox.Requests(Ncr)).RawPath);
        Assert.Equal(1, attempts.Attempts);
    }

    [Fact]
    public async Task A_second_delete_finds_the_tag_already_absent()
    {
        await _client.DeleteTagAsync("hello/world", "v1", new OperationAttempts(), CancellationToken.None);

        var result = await _client.DeleteTagAsync("hello/world", "v1", new OperationAttempts(), CancellationToken.None);

        Assert.Equal(DeletionOutcome.AlreadyAbsent, result.Outcome);
    }

    [Fact]
    public async Task A_404_for_a_registry_that_does_not_exist_is_misconfigured_not_absent()
    {
        var client = _sandbox.Client(Ncr, v => v["Registries:ncr:NcrRegistry"] = "otherreg");

        var failure = await FailsAsync(FailureKind.Misconfigured,
            () => client.DeleteTagAsync("hello/world", "v1", new OperationAttempts(), CancellationToken.None));

        Assert.Contains("Registries:ncr:NcrRegistry", failure.Message);
    }

    [Fact]
    public async Task Conflict_and_throttling_are_retried_until_the_delete_goes_through()
    {
        _sandbox.Server.Faults.Add(new FaultRule { Registry = Ncr, Method = "DELETE", Sequence = [409, 429] });
        var attempts = new OperationAttempts();

        var result = await _client.DeleteTagAsync("hello/world", "v1", attempts, CancellationToken.None);

        Assert.Equal(DeletionOutcome.Deleted, result.Outcome);
        Assert.Equal(3, attempts.Attempts);
        Assert.Equal([409, 429, 204], _sandbox.Requests(Ncr).Select(r => r.Status));
    }

    [Fact]
    public async Task A_conflict_that_lasts_exhausts_the_attempts()
    {
        _sandbox.Server.Faults.Add(new FaultRule { Registry = Ncr, Method = "DELETE", Probability = 1, Status = 409 });

        var failure = await FailsAsync(FailureKind.RetriesExhausted,
            () => _client.DeleteTagAsync("hello/world", "v1", new OperationAttempts(), CancellationToken.None));

        Assert.Equal(409, failure.Status);
        Assert.Equal(MaxAttempts, _sandbox.Requests(Ncr).Count);
        Assert.Contains("v1", _sandbox.State.Tags(Ncr, "hello/world"));
    }

    [Fact]
    public async Task Retry_after_is_honoured()
    {
        var retryAfter = TimeSpan.FromSeconds(1);
        _sandbox.Server.Faults.Add(new FaultRule { Registry = Ncr, Method = "DELETE", Sequence = [429], RetryAfterSeconds = 1 });
        var client = _sandbox.Client(Ncr, configure: services => services.AddSingleton<TimeProvider>(_clock));

        var delete = client.DeleteTagAsync("hello/world", "v1", new OperationAttempts(), CancellationToken.None);
        await Eventually.TrueAsync(() => Deletes().Count == 1, describe: () => "the first DELETE never reached the registry");
        await _clock.ScheduledAsync(wait => wait == retryAfter, "the wait for Retry-After");

        // Short of the second the registry asked for, it has seen no retry.
        _clock.Advance(retryAfter - TimeSpan.FromTicks(1));
        Assert.Equal([429], Deletes().Select(r => r.Status));
        Assert.False(delete.IsCompleted);

        _clock.Advance(TimeSpan.FromTicks(1));
        var result = await delete.WaitAsync(Eventually.Bound);

        Assert.Equal(DeletionOutcome.Deleted, result.Outcome);
        var deletes = Deletes();
        Assert.Equal([429, 204], deletes.Select(r => r.Status));
        // On the clock the registry and the client share: the retry came exactly when the registry asked for it.
        Assert.Equal(retryAfter, deletes[1].At - deletes[0].At);
    }

    private List<RequestRecord> Deletes() => _sandbox.Requests(Ncr).Where(r => r.Method == "DELETE").ToList();

    [Fact]
    public async Task A_wrong_secret_is_unauthorized_after_signing_once_more()
    {
        const string wrong = "sk-wrong-ncr-4e";
        var client = _sandbox.Client(Ncr, v => v["Registries:ncr:SecretKey"] = wrong);

        var failure = await FailsAsync(FailureKind.Unauthorized,
            () => client.DeleteTagAsync("hello/world", "v1", new OperationAttempts(), CancellationToken.None), wrong, RegistrySeeds.SecretKey);

        Assert.Contains("Registries:ncr:AccessKey", failure.Message);
        Assert.Equal(2, _sandbox.Requests(Ncr).Count);
    }

    [Fact]
    public async Task Forbidden_is_permanent()
    {
        _sandbox.Server.Faults.Add(new FaultRule { Registry = Ncr, Method = "DELETE", Sequence = [403] });

        await FailsAsync(FailureKind.Forbidden,
            () => _client.DeleteTagAsync("hello/world", "v1", new OperationAttempts(), CancellationToken.None), RegistrySeeds.SecretKey);

        Assert.Single(_sandbox.Requests(Ncr));
    }

    [Fact]
    public async Task An_endpoint_without_the_api_base_path_meets_the_gateway_and_is_misconfigured()
    {
        var root = new Uri(_sandbox.Server.EndpointOf(Ncr), "/").AbsoluteUri;
        var client = _sandbox.Client(Ncr, v => v["Registries:ncr:Endpoint"] = root);

        var failure = await FailsAsync(FailureKind.Misconfigured,
            () => client.DeleteTagAsync("hello/world", "v1", new OperationAttempts(), CancellationToken.None));

        Assert.Contains("Registries:ncr:Endpoint", failure.Message);
        Assert.Contains("v1", _sandbox.State.Tags(Ncr, "hello/world"));
    }

    [Theory]
    [InlineData("Hello/world")]
    [InlineData("hello//world")]
    [InlineData("hello/world/")]
    [InlineData("hello%2Fworld")]
    [InlineData("../world")]
    public void Image_names_outside_the_oci_grammar_are_refused(string image) => Assert.NotNull(_client.ValidateRepository(image));

    [Theory]
    [InlineData(".v1")]
    [InlineData("v1/x")]
    [InlineData("v1%2F")]
    public void Tags_outside_the_oci_grammar_are_refused(string tag) => Assert.NotNull(_client.ValidateTag(tag));

    [Fact]
    public void Oci_names_pass()
    {
        Assert.Null(_client.ValidateRepository("hello/world"));
        Assert.Null(_client.ValidateTag("V1.2_rc-1"));
    }

    [Fact]
    public async Task An_image_is_deleted_and_then_already_absent()
    {
        Assert.Equal(DeletionOutcome.Deleted, (await _client.DeleteRepositoryAsync("plain", false, new OperationAttempts(), CancellationToken.None)).Outcome);
        Assert.False(_sandbox.State.RepositoryExists(Ncr, "plain"));
        Assert.Equal(DeletionOutcome.AlreadyAbsent, (await _client.DeleteRepositoryAsync("plain", false, new OperationAttempts(), CancellationToken.None)).Outcome);
        Assert.Equal("/ncr/api/v2/repositories/myreg/plain", _sandbox.Requests(Ncr)[0].RawPath);
    }

    [Fact]
    public async Task Deleting_tags_first_deletes_every_tag_then_the_image()
    {
        var result = await _client.DeleteRepositoryAsync("hello/world", true, new OperationAttempts(), CancellationToken.None);

        Assert.Equal(new DeletionResult(DeletionOutcome.Deleted, 5), result);
        Assert.False(_sandbox.State.RepositoryExists(Ncr, "hello/world"));
        Assert.True(_sandbox.State.RepositoryExists(Ncr, "plain"));
        Assert.Equal("/ncr/api/v2/repositories/myreg/hello%2Fworld", _sandbox.Requests(Ncr)[^1].RawPath);
    }

    [Fact]
    public async Task Listing_tags_gives_the_created_times_of_the_seed()
    {
        var tags = await _client.ListTagsAsync("hello/world", new OperationAttempts(), CancellationToken.None);

        var expected = RegistrySeeds.Ncr().Repositories.Single(r => r.Name == "hello/world").Tags;
        Assert.Equal(expected.ToDictionary(t => t.Name, t => t.Created), tags!.ToDictionary(t => t.Name, t => t.Created));
        Assert.All(tags!, t => Assert.Equal(_sandbox.State.DigestOf(Ncr, "hello/world", t.Name), t.Digest));
    }

    [Fact]
    public async Task Listing_tags_follows_the_next_page()
    {
        var tags = await _client.ListTagsAsync("many", new OperationAttempts(), CancellationToken.None);

        Assert.Equal(150, tags!.Select(t => t.Name).Distinct().Count());
        Assert.Equal(["page=1&pagesize=100", "page=2&pagesize=100"], _sandbox.Requests(Ncr).Select(r => r.Query));
    }

    [Fact]
    public async Task Listing_the_tags_of_a_missing_image_gives_null()
    {
        Assert.Null(await _client.ListTagsAsync("nothing", new OperationAttempts(), CancellationToken.None));
    }

    [Fact]
    public async Task Listing_images_gives_every_name()
    {
        var images = new List<string>();
        await foreach (var image in _client.ListRepositoriesAsync(new OperationAttempts(), CancellationToken.None))
            images.Add(image);

        Assert.Equal(_sandbox.State.Repositories(Ncr), images.Order(StringComparer.Ordinal));
    }
}
