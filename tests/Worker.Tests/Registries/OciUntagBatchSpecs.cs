using RegistryCleaner.Contracts;
using RegistryCleaner.Sandbox;
using RegistryCleaner.Worker.Registries;
using RegistryCleaner.Worker.Registries.Oci;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Registries;

/// <summary>
/// Both OCI delete paths against the sandbox: the spec 1.1 tag delete (one DELETE per tag) and, where the registry lacks it,
/// the untag batch (tags of one repository re-pointed at one throw-away manifest, one DELETE of its digest).
/// </summary>
public sealed class OciUntagBatchSpecs : IAsyncLifetime
{
    private const string Batched = "oci-batched", TagDelete = "oci-tag-delete", Repository = "team/app";
    private static readonly string[] Asked = ["a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9"];
    private SandboxRegistries _sandbox = null!;

    /// <summary>Ten tags to delete, each on its own image, except that a0 and a1 share one, and each of a2, a3 has a sibling not asked for.</summary>
    private static SeedRegistry Seed(string name, bool tagDelete) => new()
    {
        Name = name,
        Kind = RegistryCleaner.Sandbox.RegistryKind.Oci,
        TagDeleteSupported = tagDelete,
        Repositories =
        [
            new SeedRepository
            {
                Name = Repository,
                Tags =
                [
                    .. Asked.Select(t => new SeedTag { Name = t, Image = t == "a1" ? "a0" : t }),
                    new SeedTag { Name = "a2-sibling", Image = "a2" },
                    new SeedTag { Name = "a3-sibling", Image = "a3" },
                    new SeedTag { Name = "other", Image = "other" },
                ],
            },
        ],
    };

    public async Task InitializeAsync() => _sandbox = await SandboxRegistries.StartAsync(Seed(Batched, tagDelete: false), Seed(TagDelete, tagDelete: true));

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private IRegistryClient Client(string registry, int linger = 1_000, int maxSize = 32) => _sandbox.Client(registry, settings =>
    {
        settings[$"Registries:{registry}:UntagBatch:LingerMilliseconds"] = linger.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings[$"Registries:{registry}:UntagBatch:MaxSize"] = maxSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
    });

    private Dictionary<string, string?> Digests(string registry, IEnumerable<string> tags) =>
        tags.ToDictionary(t => t, t => _sandbox.State.DigestOf(registry, Repository, t));

    private static async Task<(string Tag, Task<DeletionResult> Result, OperationAttempts Attempts)[]> DeleteAllAsync(IRegistryClient client, IEnumerable<string> tags)
    {
        var calls = tags.Select(t =>
        {
            var attempts = new OperationAttempts();
            return (t, client.DeleteTagAsync(Repository, t, attempts, CancellationToken.None), attempts);
        }).ToArray();
        await Task.WhenAll(calls.Select(c => c.Item2.ContinueWith(_ => { }, TaskScheduler.Default)));
        return calls;
    }

    private List<RequestRecord> DigestDeletes(string registry) =>
        _sandbox.Requests(registry).Where(r => r.Method == "DELETE" && r.RawPath.Contains("/manifests/sha256:") && r.Status == 202).ToList();

    [Fact]
    public async Task Without_the_tag_delete_one_DELETE_untags_exactly_the_batch_and_each_tag_reports_its_digest()
    {
        var before = Digests(Batched, [.. Asked, "a2-sibling", "a3-sibling", "other"]);

        var calls = await DeleteAllAsync(Client(Batched), Asked);

        foreach (var (tag, result, _) in calls)
            Assert.Equal(DeletionResult.DeletedFrom(before[tag], "application/vnd.oci.image.manifest.v1+json"), await result);
        Assert.Equal(["a2-sibling", "a3-sibling", "other"], _sandbox.State.Tags(Batched, Repository).Order());
        Assert.Equal(before["a2"], _sandbox.State.DigestOf(Batched, Repository, "a2-sibling"));
        Assert.Equal(before["a3"], _sandbox.State.DigestOf(Batched, Repository, "a3-sibling"));
        Assert.Equal(before["other"], _sandbox.State.DigestOf(Batched, Repository, "other"));
        Assert.Single(DigestDeletes(Batched));
        // Only asked tags were written to: ten re-pointing PUTs, none for the siblings or the other tag.
        var puts = _sandbox.Requests(Batched).Where(r => r.Method == "PUT" && r.RawPath.Contains("/manifests/")).Select(r => r.RawPath.Split('/')[^1]).ToList();
        Assert.Equal(Asked, puts.Order());
    }

    [Fact]
    public async Task With_the_tag_delete_every_tag_is_one_DELETE_of_that_tag_and_nothing_is_re_pointed()
    {
        var before = Digests(TagDelete, Asked);

        var calls = await DeleteAllAsync(Client(TagDelete), Asked);

        foreach (var (tag, result, _) in calls)
            Assert.Equal(before[tag], (await result).Digest);
        Assert.Equal(["a2-sibling", "a3-sibling", "other"], _sandbox.State.Tags(TagDelete, Repository).Order());
        var writes = _sandbox.Requests(TagDelete).Where(r => r.Method is "PUT" or "DELETE").Select(r => $"{r.Method} {r.RawPath.Split('/')[^1]} {r.Status}").Order();
        Assert.Equal(Asked.Select(t => $"DELETE {t} 202"), writes);
    }

    [Fact]
    public async Task A_batch_reaching_its_maximum_size_starts_without_the_others()
    {
        var calls = await DeleteAllAsync(Client(Batched, maxSize: 5), Asked);

        Assert.All(calls, c => Assert.Equal(DeletionOutcome.Deleted, c.Result.Result.Outcome));
        Assert.Equal(2, DigestDeletes(Batched).Count);
    }

    [Fact]
    public async Task Tags_arriving_while_an_earlier_batch_of_the_repository_runs_join_one_next_batch_whatever_the_linger()
    {
        var client = Client(Batched, linger: 0);
        await client.DeleteTagAsync(Repository, "other", new OperationAttempts(), CancellationToken.None);
        var before = DigestDeletes(Batched).Count;
        _sandbox.Server.Faults.Add(new FaultRule { Registry = Batched, Method = "DELETE", PathPattern = "/manifests/sha256:", Latency = TimeSpan.FromMilliseconds(300) });

        var calls = await DeleteAllAsync(client, Asked);

        Assert.All(calls, c => Assert.Equal(DeletionOutcome.Deleted, c.Result.Result.Outcome));
        // Without a linger the first tags start a batch of their own; every later one waits for it in the next batch.
        Assert.InRange(DigestDeletes(Batched).Count - before, 1, 2);
    }

    [Fact]
    public async Task A_batch_mixing_present_absent_and_failing_tags_gives_each_its_own_outcome_and_puts_the_failed_one_back()
    {
        var client = Client(Batched);
        await client.DeleteTagAsync(Repository, "a9", new OperationAttempts(), CancellationToken.None); // one-time checks out of the way
        var a5 = _sandbox.State.DigestOf(Batched, Repository, "a5");
        // a5's re-pointing PUT fails for good after reaching the registry (as a proxy refusing the body would): it is put back.
        _sandbox.Server.Faults.Add(new FaultRule { Registry = Batched, Method = "PUT", PathPattern = "/manifests/a5$", Sequence = [413] });

        var calls = await DeleteAllAsync(client, ["a4", "a5", "a6", "never-pushed", "a9"]);

        Assert.Equal(DeletionOutcome.Deleted, (await calls[0].Result).Outcome);
        var failure = await Assert.ThrowsAsync<RegistryFailureException>(() => calls[1].Result);
        Assert.Equal(FailureKind.RegistryError, failure.Kind);
        Assert.Equal(413, failure.Status);
        Assert.Equal(DeletionOutcome.Deleted, (await calls[2].Result).Outcome);
        Assert.Equal(DeletionResult.AlreadyAbsent, await calls[3].Result);
        Assert.Equal(DeletionResult.AlreadyAbsent, await calls[4].Result);
        Assert.Equal(a5, _sandbox.State.DigestOf(Batched, Repository, "a5"));
        Assert.Null(_sandbox.State.DigestOf(Batched, Repository, "a4"));
        Assert.Null(_sandbox.State.DigestOf(Batched, Repository, "a6"));
    }

    [Fact]
    public async Task A_DELETE_refused_for_good_fails_every_command_of_the_batch_and_puts_every_tag_back()
    {
        var client = Client(Batched);
        await client.DeleteTagAsync(Repository, "a9", new OperationAttempts(), CancellationToken.None);
        var before = Digests(Batched, ["a0", "a1", "a2"]);
        _sandbox.Server.Faults.Add(new FaultRule { Registry = Batched, Method = "DELETE", PathPattern = "/manifests/sha256:", Sequence = [403] });

        var calls = await DeleteAllAsync(client, ["a0", "a1", "a2"]);

        foreach (var (_, result, attempts) in calls)
        {
            Assert.Equal(FailureKind.Forbidden, (await Assert.ThrowsAsync<RegistryFailureException>(() => result)).Kind);
            Assert.Equal(403, attempts.LastStatus);
        }
        Assert.Equal(before, Digests(Batched, ["a0", "a1", "a2"]));
    }

    [Fact]
    public async Task Shared_requests_count_towards_every_command_of_the_batch()
    {
        var client = Client(Batched);
        await client.DeleteTagAsync(Repository, "a9", new OperationAttempts(), CancellationToken.None);
        _sandbox.Server.Faults.Add(new FaultRule { Registry = Batched, Method = "DELETE", PathPattern = "/manifests/sha256:", Sequence = [429] });

        var calls = await DeleteAllAsync(client, ["a0", "a1", "a2"]);

        Assert.All(calls, c => Assert.Equal((DeletionOutcome.Deleted, 2), (c.Result.Result.Outcome, c.Attempts.Attempts)));
    }

    [Fact]
    public async Task A_tag_left_on_a_throwaway_manifest_by_an_interrupted_batch_is_finished_and_reports_the_recorded_digest()
    {
        var client = Client(Batched);
        await client.DeleteTagAsync(Repository, "a9", new OperationAttempts(), CancellationToken.None);
        var original = _sandbox.State.DigestOf(Batched, Repository, "a2")!;
        var throwaway = ThrowawayManifest.Create([("a2", original), ("a3", "sha256:" + new string('0', 64))]);
        using (var http = new HttpClient { BaseAddress = _sandbox.Server.EndpointOf(Batched) })
        using (var content = new ByteArrayContent(throwaway) { Headers = { ContentType = new(ThrowawayManifest.MediaType) } })
            Assert.Equal(System.Net.HttpStatusCode.Created, (await http.PutAsync($"v2/{Repository}/manifests/a2", content)).StatusCode);

        var result = await client.DeleteTagAsync(Repository, "a2", new OperationAttempts(), CancellationToken.None);

        Assert.Equal(DeletionResult.DeletedFrom(original, null), result);
        Assert.Null(_sandbox.State.DigestOf(Batched, Repository, "a2"));
        Assert.Equal(original, _sandbox.State.DigestOf(Batched, Repository, "a2-sibling"));
    }

    [Theory]
    [InlineData(Batched)]
    [InlineData(TagDelete)]
    public async Task A_repository_delete_untags_every_tag_with_one_DELETE(string registry)
    {
        var result = await Client(registry).DeleteRepositoryAsync(Repository, deleteTagsFirst: false, new OperationAttempts(), CancellationToken.None);

        Assert.Equal(new DeletionResult(DeletionOutcome.Deleted, Asked.Length + 3), result);
        Assert.Empty(_sandbox.State.Tags(registry, Repository));
        Assert.Single(DigestDeletes(registry));
    }
}
