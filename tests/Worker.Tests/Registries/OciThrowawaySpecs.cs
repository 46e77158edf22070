using RegistryCleaner.Contracts;
using RegistryCleaner.Sandbox;
using RegistryCleaner.Worker.Registries;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Registries;

/// <summary>
/// The safe tag delete on a registry without the spec 1.1 tag delete, when the delete of the throw-away digest answers 5xx
/// (distribution's answer when it deleted the manifest but failed to untag): the tag is re-pointed and deleted again at
/// once, without waiting out a retry; only the last round retries.
/// </summary>
public sealed class OciThrowawaySpecs : IAsyncLifetime
{
    private const string Oci = "oci";
    private const string DigestDelete = "/manifests/sha256:";
    private SandboxRegistries _sandbox = null!;
    private IRegistryClient _client = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxRegistries.StartAsync(new SeedRegistry
        {
            Name = Oci,
            Kind = RegistryCleaner.Sandbox.RegistryKind.Oci,
            Repositories =
            [
                new SeedRepository
                {
                    Name = "team/app",
                    Tags = [Tag("v1", "a"), Tag("v1-alias", "a"), Tag("v2", "b")],
                },
            ],
        });
        // A retry would wait a minute: a test that passes did not wait.
        _client = _sandbox.Client(Oci, settings =>
        {
            settings["Retry:BaseDelay"] = "00:01:00";
            settings["Retry:MaxDelay"] = "00:01:00";
        });
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private static SeedTag Tag(string name, string image) => new() { Name = name, Image = image, Created = DateTimeOffset.UtcNow.AddDays(-1) };

    /// <summary>The client's first delete makes its one-time checks (tag delete support, digest delete allowed); the
    /// faults below are for the deletes after them. Returns the number of requests so far.</summary>
    private async Task<int> WarmUpAsync(IRegistryClient client)
    {
        await client.DeleteTagAsync("team/app", "v2", new OperationAttempts(), CancellationToken.None);
        return _sandbox.Requests(Oci).Count;
    }

    [Fact]
    public async Task A_5xx_from_the_throwaway_delete_goes_straight_to_re_pointing_and_deleting_again()
    {
        var before = await WarmUpAsync(_client);
        _sandbox.Server.Faults.Add(new FaultRule { Registry = Oci, Method = "DELETE", PathPattern = DigestDelete, Sequence = [500, 503] });
        var attempts = new OperationAttempts();

        var result = await _client.DeleteTagAsync("team/app", "v1", attempts, CancellationToken.None);

        Assert.Equal(DeletionOutcome.Deleted, result.Outcome);
        Assert.Equal(["v1-alias"], _sandbox.State.Tags(Oci, "team/app"));
        var writes = _sandbox.Requests(Oci).Skip(before).Where(r => r.Method is "PUT" or "DELETE" && r.RawPath.Contains("/manifests/")).ToList();
        Assert.Equal(["PUT 201", "DELETE 500", "PUT 201", "DELETE 503", "PUT 201", "DELETE 202"], writes.Select(r => $"{r.Method} {r.Status}"));
        Assert.Equal(1, attempts.Attempts);
    }

    [Fact]
    public async Task A_throwaway_delete_that_keeps_failing_is_retried_in_the_last_round_then_the_tag_is_restored()
    {
        var client = _sandbox.Client(Oci, settings => settings["Retry:MaxAttempts"] = "2");
        var before = await WarmUpAsync(client);
        _sandbox.Server.Faults.Add(new FaultRule { Registry = Oci, Method = "DELETE", PathPattern = DigestDelete, Probability = 1, Status = 500 });
        var original = _sandbox.State.DigestOf(Oci, "team/app", "v1");
        var attempts = new OperationAttempts();

        var failure = await Assert.ThrowsAsync<RegistryFailureException>(() => client.DeleteTagAsync("team/app", "v1", attempts, CancellationToken.None));

        Assert.Equal(FailureKind.RetriesExhausted, failure.Kind);
        Assert.Equal(original, _sandbox.State.DigestOf(Oci, "team/app", "v1"));
        Assert.Equal(["v1", "v1-alias"], _sandbox.State.Tags(Oci, "team/app"));
        // Rounds one and two: one DELETE each; the last round: the DELETE and its one retry.
        Assert.Equal(4, _sandbox.Requests(Oci).Skip(before).Count(r => r.Method == "DELETE"));
        Assert.Equal(2, attempts.Attempts);
    }
}
