using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using RegistryCleaner.Contracts;
using RegistryCleaner.Sandbox;
using RegistryCleaner.Worker.Registries;
using RegistryCleaner.Worker.Registries.Oci;
using RegistryCleaner.Worker.Tests.Support;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Registries;

/// <summary>
/// Both OCI delete paths against the sandbox: the spec 1.1 tag delete (one DELETE per tag) and, where the registry lacks it,
/// the untag batch (tags of one repository re-pointed at one throw-away manifest, one DELETE of its digest). Batches are
/// formed deterministically: the linger runs on a fake clock that only the test moves, and requests are held at a gate.
/// </summary>
public sealed class OciUntagBatchSpecs : IAsyncLifetime
{
    private const string Batched = "oci-batched", TagDelete = "oci-tag-delete", Repository = "team/app";
    private static readonly string[] Asked = ["a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9"];
    private static readonly string[] OtherRepositories = ["team/web", "team/api", "team/db"];
    private static readonly string ProbeDigest = ThrowawayManifest.Digest("registry-cleaner deletion probe"u8.ToArray());
    private static readonly TimeSpan Linger = TimeSpan.FromSeconds(1);
    private SandboxRegistries _sandbox = null!;
    private readonly FakeTimeProvider _clock = new();

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
            .. OtherRepositories.Select(r => new SeedRepository { Name = r, Tags = [new SeedTag { Name = "w0", Image = "w0" }, new SeedTag { Name = "w1", Image = "w1" }] }),
        ],
    };

    public async Task InitializeAsync() => _sandbox = await SandboxRegistries.StartAsync(Seed(Batched, tagDelete: false), Seed(TagDelete, tagDelete: true));

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private OciClient Client(string registry, int maxSize = 32, HeldRequests? held = null, int linger = 1_000) => (OciClient)_sandbox.Client(registry, settings =>
    {
        settings[$"Registries:{registry}:UntagBatch:LingerMilliseconds"] = linger.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings[$"Registries:{registry}:UntagBatch:MaxSize"] = maxSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Retries wait on the same fake clock as the linger: without a backoff they need no move of it.
        settings["Retry:BaseDelay"] = settings["Retry:MaxDelay"] = "00:00:00";
    }, services =>
    {
        services.AddSingleton<TimeProvider>(_clock);
        held?.AddTo(services, registry);
    });

    /// <summary>Holds the DELETE of a throw-away digest (not the deletion probe) until released.</summary>
    private static HeldRequests HeldThrowawayDeletes() =>
        new(r => r.Method == HttpMethod.Delete && r.RequestUri!.AbsolutePath.Contains("/manifests/sha256:") && !r.RequestUri.AbsolutePath.EndsWith(ProbeDigest));

    private Dictionary<string, string?> Digests(string registry, IEnumerable<string> tags, string repository = Repository) =>
        tags.ToDictionary(t => t, t => _sandbox.State.DigestOf(registry, repository, t));

    private static (string Tag, Task<DeletionResult> Result, OperationAttempts Attempts)[] Start(IRegistryClient client, IEnumerable<string> tags,
        string repository = Repository, CancellationToken ct = default) =>
        tags.Select(t =>
        {
            var attempts = new OperationAttempts();
            return (t, client.DeleteTagAsync(repository, t, attempts, ct), attempts);
        }).ToArray();

    private static async Task SettledAsync(IEnumerable<Task> results) =>
        await Task.WhenAll(results.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default))).WaitAsync(TimeSpan.FromSeconds(30));

    /// <summary>Starts the deletes, waits until every one waits in the repository's open batch, then lets the linger run out.</summary>
    private async Task<(string Tag, Task<DeletionResult> Result, OperationAttempts Attempts)[]> BatchAsync(OciClient client, IEnumerable<string> tags, int waiting)
    {
        var calls = Start(client, tags);
        await Eventually.TrueAsync(() => client.WaitingUntags(Repository) == waiting, describe: () => $"{waiting} tags waiting in one batch");
        _clock.Advance(Linger);
        await SettledAsync(calls.Select(c => c.Result));
        return calls;
    }

    /// <summary>The client's one-time checks (tag delete support, digest delete allowed, config blob) out of the way, with one tag.</summary>
    private async Task WarmUpAsync(OciClient client, string tag = "a9") => await BatchAsync(client, [tag], 1);

    private List<RequestRecord> DigestDeletes(string registry, string repository = Repository) =>
        _sandbox.Requests(registry).Where(r => r.Method == "DELETE" && r.RawPath.StartsWith($"/v2/{repository}/manifests/sha256:") && r.Status == 202).ToList();

    private List<string> ManifestWrites(string registry, string tag) =>
        _sandbox.Requests(registry).Where(r => r.Method == "PUT" && r.RawPath == $"/v2/{Repository}/manifests/{tag}").Select(r => $"PUT {r.Status}").ToList();

    private async Task<string> PushAsync(string registry, string tag, string fromTag)
    {
        using var http = new HttpClient { BaseAddress = _sandbox.Server.EndpointOf(registry) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v2/{Repository}/manifests/{fromTag}");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        using var source = await http.SendAsync(request);
        var body = await source.Content.ReadAsByteArrayAsync();
        using var content = new ByteArrayContent(body) { Headers = { ContentType = source.Content.Headers.ContentType } };
        Assert.Equal(HttpStatusCode.Created, (await http.PutAsync($"v2/{Repository}/manifests/{tag}", content)).StatusCode);
        return _sandbox.State.DigestOf(registry, Repository, tag)!;
    }

    [Fact]
    public async Task Without_the_tag_delete_one_DELETE_untags_exactly_the_batch_and_each_tag_reports_its_digest()
    {
        var before = Digests(Batched, [.. Asked, "a2-sibling", "a3-sibling", "other"]);

        var calls = await BatchAsync(Client(Batched), Asked, Asked.Length);

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

        var calls = Start(Client(TagDelete), Asked);
        await SettledAsync(calls.Select(c => c.Result));

        foreach (var (tag, result, _) in calls)
            Assert.Equal(before[tag], (await result).Digest);
        Assert.Equal(["a2-sibling", "a3-sibling", "other"], _sandbox.State.Tags(TagDelete, Repository).Order());
        var writes = _sandbox.Requests(TagDelete).Where(r => r.Method is "PUT" or "DELETE").Select(r => $"{r.Method} {r.RawPath.Split('/')[^1]} {r.Status}").Order();
        Assert.Equal(Asked.Select(t => $"DELETE {t} 202"), writes);
    }

    [Fact]
    public async Task A_batch_reaching_its_maximum_size_starts_without_waiting_out_the_linger()
    {
        // The clock never moves: only full batches can start.
        var calls = Start(Client(Batched, maxSize: 5), Asked);
        await SettledAsync(calls.Select(c => c.Result));

        Assert.All(calls, c => Assert.Equal(DeletionOutcome.Deleted, c.Result.Result.Outcome));
        Assert.Equal(2, DigestDeletes(Batched).Count);
    }

    [Fact]
    public async Task Tags_arriving_while_an_earlier_batch_of_the_repository_runs_join_one_next_batch_after_its_linger()
    {
        var held = HeldThrowawayDeletes();
        var client = Client(Batched, held: held);
        var first = Start(client, ["other"]);
        await Eventually.TrueAsync(() => client.WaitingUntags(Repository) == 1, describe: () => "the first batch formed");
        _clock.Advance(Linger);
        await Eventually.TrueAsync(() => held.Arrived == 1, describe: () => "the first batch's DELETE sent");

        var early = Start(client, Asked[..5]);
        await Eventually.TrueAsync(() => client.WaitingUntags(Repository) == 5, describe: () => "five tags in the next batch");
        _clock.Advance(Linger); // the next batch asks to run, and waits for the first one
        var late = Start(client, Asked[5..]);
        await Eventually.TrueAsync(() => client.WaitingUntags(Repository) == 10, describe: () => "five more tags joining the waiting batch");
        held.Release();
        await SettledAsync(first.Concat(early).Concat(late).Select(c => c.Result));

        Assert.All(first.Concat(early).Concat(late), c => Assert.Equal(DeletionOutcome.Deleted, c.Result.Result.Outcome));
        Assert.Equal(2, DigestDeletes(Batched).Count);
    }

    [Fact]
    public async Task A_batch_mixing_present_absent_and_failing_tags_gives_each_its_own_outcome_and_puts_the_re_pointed_failed_one_back()
    {
        // a5's re-pointing PUT reaches the registry and is applied, but its answer is a 413 (a proxy refusing the
        // response, say): a5 really points at the throw-away manifest when its command fails, and must be put back.
        var held = new HeldRequests(r => r.Method == HttpMethod.Put && r.RequestUri!.AbsolutePath.EndsWith("/manifests/a5")) { Holding = false };
        var client = Client(Batched, held: held);
        await WarmUpAsync(client);
        var a5 = _sandbox.State.DigestOf(Batched, Repository, "a5");
        var answered = 0;
        held.Answer = (_, response) => response.StatusCode == HttpStatusCode.Created && Interlocked.Increment(ref answered) == 1
            ? new HttpResponseMessage(HttpStatusCode.RequestEntityTooLarge)
            : null;

        var calls = await BatchAsync(client, ["a4", "a5", "a6", "never-pushed", "a9"], 3);

        Assert.Equal(DeletionOutcome.Deleted, (await calls[0].Result).Outcome);
        var failure = await Assert.ThrowsAsync<RegistryFailureException>(() => calls[1].Result);
        Assert.Equal((FailureKind.RegistryError, 413), (failure.Kind, failure.Status));
        Assert.Equal(DeletionOutcome.Deleted, (await calls[2].Result).Outcome);
        Assert.Equal(DeletionResult.AlreadyAbsent, await calls[3].Result);
        Assert.Equal(DeletionResult.AlreadyAbsent, await calls[4].Result);
        Assert.Equal(["PUT 201", "PUT 201"], ManifestWrites(Batched, "a5")); // the throw-away, then the original back
        Assert.Equal(a5, _sandbox.State.DigestOf(Batched, Repository, "a5"));
        Assert.Null(_sandbox.State.DigestOf(Batched, Repository, "a4"));
        Assert.Null(_sandbox.State.DigestOf(Batched, Repository, "a6"));
    }

    [Fact]
    public async Task A_re_pointing_PUT_the_registry_refused_leaves_the_tag_as_it_was_and_the_rest_of_the_batch_goes_on()
    {
        var client = Client(Batched);
        await WarmUpAsync(client);
        var a5 = _sandbox.State.DigestOf(Batched, Repository, "a5");
        _sandbox.Server.Faults.Add(new FaultRule { Registry = Batched, Method = "PUT", PathPattern = "/manifests/a5$", Sequence = [413] });

        var calls = await BatchAsync(client, ["a4", "a5"], 2);

        Assert.Equal(DeletionOutcome.Deleted, (await calls[0].Result).Outcome);
        var failure = await Assert.ThrowsAsync<RegistryFailureException>(() => calls[1].Result);
        Assert.Equal((FailureKind.RegistryError, 413), (failure.Kind, failure.Status));
        Assert.DoesNotContain("someone else", failure.Message);
        Assert.Equal(["PUT 413"], ManifestWrites(Batched, "a5"));
        Assert.Equal(a5, _sandbox.State.DigestOf(Batched, Repository, "a5"));
    }

    [Fact]
    public async Task A_DELETE_refused_for_good_fails_every_command_of_the_batch_and_puts_every_tag_back()
    {
        var client = Client(Batched);
        await WarmUpAsync(client);
        var before = Digests(Batched, ["a0", "a1", "a2"]);
        _sandbox.Server.Faults.Add(new FaultRule { Registry = Batched, Method = "DELETE", PathPattern = "/manifests/sha256:", Sequence = [403] });

        var calls = await BatchAsync(client, ["a0", "a1", "a2"], 3);

        foreach (var (tag, result, _) in calls)
        {
            Assert.Equal(FailureKind.Forbidden, (await Assert.ThrowsAsync<RegistryFailureException>(() => result)).Kind);
            Assert.Equal(["PUT 201", "PUT 201"], ManifestWrites(Batched, tag));
        }
        Assert.Equal(before, Digests(Batched, ["a0", "a1", "a2"]));
    }

    [Fact]
    public async Task A_DELETE_whose_error_body_cannot_be_read_fails_each_command_and_puts_every_tag_back()
    {
        var held = HeldThrowawayDeletes();
        held.Holding = false;
        held.Answer = (_, _) => new HttpResponseMessage(HttpStatusCode.Forbidden) { Content = new StreamContent(new BrokenStream()) };
        var client = Client(Batched, held: held);
        var before = Digests(Batched, ["a0", "a2"]);
        // The registry refuses the DELETE (nothing deleted), and its error body breaks off while it is read.
        _sandbox.Server.Faults.Add(new FaultRule { Registry = Batched, Method = "DELETE", PathPattern = $"/manifests/(?!{ProbeDigest})sha256:", Sequence = [403] });

        var calls = await BatchAsync(client, ["a0", "a2"], 2);

        foreach (var (tag, result, _) in calls)
        {
            var failure = await Assert.ThrowsAsync<RegistryFailureException>(() => result);
            Assert.Contains("IOException", failure.Message);
            Assert.Equal(["PUT 201", "PUT 201"], ManifestWrites(Batched, tag));
        }
        Assert.Equal(before, Digests(Batched, ["a0", "a2"]));
    }

    [Fact]
    public async Task A_DELETE_whose_error_body_stalls_fails_the_batch_at_the_attempt_timeout_and_the_repository_is_free_for_the_next()
    {
        // The registry refuses the DELETE (nothing deleted), sends the headers of its answer and then nothing of the body.
        // The batch's requests are not cancelled by any command: only the attempt timeout ends the read.
        var body = new StalledStream();
        var held = HeldThrowawayDeletes();
        held.Holding = false;
        held.Answer = (_, _) => new HttpResponseMessage(HttpStatusCode.Forbidden) { Content = new StreamContent(body) };
        var client = Client(Batched, held: held);
        var before = Digests(Batched, ["a0", "a2"]);
        _sandbox.Server.Faults.Add(new FaultRule { Registry = Batched, Method = "DELETE", PathPattern = $"/manifests/(?!{ProbeDigest})sha256:", Sequence = [403] });

        var calls = Start(client, ["a0", "a2"]);
        await Eventually.TrueAsync(() => client.WaitingUntags(Repository) == 2, describe: () => "two tags waiting");
        _clock.Advance(Linger);
        await Eventually.TrueAsync(() => body.Reads > 0, describe: () => "the DELETE's error body being read");
        _clock.Advance(SandboxRegistries.AttemptTimeout);
        await SettledAsync(calls.Select(c => c.Result));

        foreach (var (tag, result, _) in calls)
        {
            var failure = await Assert.ThrowsAsync<RegistryFailureException>(() => result);
            Assert.Equal(FailureKind.RetriesExhausted, failure.Kind);
            Assert.Contains("Retry:AttemptTimeout", failure.Message);
            Assert.Equal(["PUT 201", "PUT 201"], ManifestWrites(Batched, tag)); // re-pointed, then put back
        }
        Assert.Equal(before, Digests(Batched, ["a0", "a2"]));

        // The batch let go of the repository: the next delete in it runs.
        held.Answer = null;
        var later = await BatchAsync(client, ["a4"], 1);
        Assert.Equal(DeletionOutcome.Deleted, (await later[0].Result).Outcome);
    }

    /// <summary>A response body whose read fails half way, as a connection reset would.</summary>
    private sealed class BrokenStream : MemoryStream
    {
        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("connection reset");
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => throw new IOException("connection reset");
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => throw new IOException("connection reset");
    }

    [Fact]
    public async Task Shared_requests_count_towards_every_command_of_the_batch()
    {
        var client = Client(Batched);
        await WarmUpAsync(client);
        _sandbox.Server.Faults.Add(new FaultRule { Registry = Batched, Method = "DELETE", PathPattern = "/manifests/sha256:", Sequence = [429] });

        var calls = await BatchAsync(client, ["a0", "a1", "a2"], 3);

        Assert.All(calls, c => Assert.Equal((DeletionOutcome.Deleted, 2), (c.Result.Result.Outcome, c.Attempts.Attempts)));
    }

    [Fact]
    public async Task A_tag_left_on_a_throwaway_manifest_by_an_interrupted_batch_is_finished_and_reports_the_recorded_digest()
    {
        var client = Client(Batched);
        await WarmUpAsync(client);
        var original = _sandbox.State.DigestOf(Batched, Repository, "a2")!;
        var throwaway = ThrowawayManifest.Create([("a2", original), ("a3", "sha256:" + new string('0', 64))]);
        using (var http = new HttpClient { BaseAddress = _sandbox.Server.EndpointOf(Batched) })
        using (var content = new ByteArrayContent(throwaway) { Headers = { ContentType = new(ThrowawayManifest.MediaType) } })
            Assert.Equal(HttpStatusCode.Created, (await http.PutAsync($"v2/{Repository}/manifests/a2", content)).StatusCode);

        await AssertNextDeliveryFinishesA2Async(client, original);
    }

    /// <summary>a2, found on a throw-away manifest, is deleted by its next delivery, which reports the digest the batch recorded; its sibling stays.</summary>
    private async Task AssertNextDeliveryFinishesA2Async(OciClient client, string? original)
    {
        var calls = await BatchAsync(client, ["a2"], 1);

        Assert.Equal(DeletionResult.DeletedFrom(original, null), await calls[0].Result);
        Assert.Null(_sandbox.State.DigestOf(Batched, Repository, "a2"));
        Assert.Equal(original, _sandbox.State.DigestOf(Batched, Repository, "a2-sibling"));
    }

    [Fact]
    public async Task A_tag_re_pushed_after_it_was_read_is_not_re_pointed_and_its_command_fails_with_nothing_done()
    {
        var client = Client(Batched);
        await WarmUpAsync(client);
        var calls = Start(client, ["a4", "a5", "a6"]);
        await Eventually.TrueAsync(() => client.WaitingUntags(Repository) == 3, describe: () => "three tags read and waiting");
        var pushed = await PushAsync(Batched, "a5", fromTag: "other"); // while the batch lingers

        _clock.Advance(Linger);
        await SettledAsync(calls.Select(c => c.Result));

        var failure = await Assert.ThrowsAsync<RegistryFailureException>(() => calls[1].Result);
        Assert.Equal(FailureKind.Forbidden, failure.Kind);
        Assert.Contains("changed since it was read", failure.Message);
        Assert.Equal(["PUT 201"], ManifestWrites(Batched, "a5")); // the push only: the batch never wrote a5
        Assert.Equal(pushed, _sandbox.State.DigestOf(Batched, Repository, "a5"));
        Assert.Equal(DeletionOutcome.Deleted, (await calls[0].Result).Outcome);
        Assert.Equal(DeletionOutcome.Deleted, (await calls[2].Result).Outcome);
    }

    [Fact]
    public async Task A_tag_re_pushed_over_the_throwaway_manifest_is_not_restored_over_the_push()
    {
        var held = HeldThrowawayDeletes();
        var client = Client(Batched, held: held);
        var a0 = _sandbox.State.DigestOf(Batched, Repository, "a0");
        var calls = Start(client, ["a0", "a1"]);
        await Eventually.TrueAsync(() => client.WaitingUntags(Repository) == 2, describe: () => "two tags waiting");
        _clock.Advance(Linger);
        await Eventually.TrueAsync(() => held.Arrived == 1, describe: () => "both tags re-pointed, the DELETE sent");
        var pushed = await PushAsync(Batched, "a1", fromTag: "other"); // over the throw-away manifest
        _sandbox.Server.Faults.Add(new FaultRule { Registry = Batched, Method = "DELETE", PathPattern = "/manifests/sha256:", Sequence = [403] });
        held.Release();
        await SettledAsync(calls.Select(c => c.Result));

        Assert.Equal(FailureKind.Forbidden, (await Assert.ThrowsAsync<RegistryFailureException>(() => calls[0].Result)).Kind);
        var failure = await Assert.ThrowsAsync<RegistryFailureException>(() => calls[1].Result);
        Assert.Contains("written by someone else", failure.Message);
        Assert.Equal(a0, _sandbox.State.DigestOf(Batched, Repository, "a0"));
        Assert.Equal(pushed, _sandbox.State.DigestOf(Batched, Repository, "a1"));
        Assert.Equal(["PUT 201", "PUT 201"], ManifestWrites(Batched, "a1")); // the batch's re-pointing and the push: no restore
    }

    [Fact]
    public async Task A_command_cancelled_before_its_batch_takes_it_is_never_re_pointed_and_the_others_go_on()
    {
        var client = Client(Batched);
        await WarmUpAsync(client);
        using var cancel = new CancellationTokenSource();
        var kept = Start(client, ["a4", "a6"]);
        var cancelled = Start(client, ["a5"], ct: cancel.Token);
        await Eventually.TrueAsync(() => client.WaitingUntags(Repository) == 3, describe: () => "three tags waiting");

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled[0].Result);
        _clock.Advance(Linger);
        await SettledAsync(kept.Select(c => c.Result));

        Assert.All(kept, c => Assert.Equal(DeletionOutcome.Deleted, c.Result.Result.Outcome));
        Assert.Empty(ManifestWrites(Batched, "a5"));
        Assert.NotNull(_sandbox.State.DigestOf(Batched, Repository, "a5"));
    }

    [Fact]
    public async Task A_command_cancelled_while_its_batch_runs_reports_the_batchs_outcome()
    {
        var held = HeldThrowawayDeletes();
        var client = Client(Batched, held: held);
        using var cancel = new CancellationTokenSource();
        var calls = Start(client, ["a4", "a5"], ct: cancel.Token);
        await Eventually.TrueAsync(() => client.WaitingUntags(Repository) == 2, describe: () => "two tags waiting");
        _clock.Advance(Linger);
        await Eventually.TrueAsync(() => held.Arrived == 1, describe: () => "the batch's DELETE sent (both tags re-pointed)");

        await cancel.CancelAsync();
        Assert.False(calls[0].Result.IsCompleted);
        held.Release();
        await SettledAsync(calls.Select(c => c.Result));

        Assert.All(calls, c => Assert.Equal(DeletionOutcome.Deleted, c.Result.Result.Outcome));
        Assert.Null(_sandbox.State.DigestOf(Batched, Repository, "a4"));
        Assert.Null(_sandbox.State.DigestOf(Batched, Repository, "a5"));
    }

    [Fact]
    public async Task Two_repositories_batch_side_by_side_each_with_its_own_DELETE()
    {
        var held = HeldThrowawayDeletes();
        var client = Client(Batched, held: held);
        var other = OtherRepositories.First(r => client.RepositoryGate(r) != client.RepositoryGate(Repository));
        var before = Digests(Batched, ["w0", "w1"], other);

        var app = Start(client, ["a0", "a1", "a2"]);
        var web = Start(client, ["w0", "w1"], other);
        await Eventually.TrueAsync(() => client.WaitingUntags(Repository) == 3 && client.WaitingUntags(other) == 2, describe: () => "both batches formed");
        _clock.Advance(Linger);
        await Eventually.TrueAsync(() => held.Arrived == 2, describe: () => "both batches' DELETEs in flight at once");
        held.Release();
        await SettledAsync(app.Concat(web).Select(c => c.Result));

        Assert.All(app.Concat(web), c => Assert.Equal(DeletionOutcome.Deleted, c.Result.Result.Outcome));
        Assert.Equal(before["w0"], (await web[0].Result).Digest);
        Assert.Single(DigestDeletes(Batched));
        Assert.Single(DigestDeletes(Batched, other));
        Assert.Equal(new[] { "a2-sibling", "a3", "a3-sibling", "a4", "a5", "a6", "a7", "a8", "a9", "other" }.Order(StringComparer.Ordinal),
            _sandbox.State.Tags(Batched, Repository).Order(StringComparer.Ordinal));
        Assert.Empty(_sandbox.State.Tags(Batched, other));
    }

    [Fact]
    public async Task A_restore_that_fails_says_so_and_the_next_delivery_finishes_the_delete()
    {
        var held = HeldThrowawayDeletes();
        var client = Client(Batched, held: held);
        var original = _sandbox.State.DigestOf(Batched, Repository, "a2");
        var calls = Start(client, ["a2"]);
        await Eventually.TrueAsync(() => client.WaitingUntags(Repository) == 1, describe: () => "a2 waiting");
        _clock.Advance(Linger);
        await Eventually.TrueAsync(() => held.Arrived == 1, describe: () => "a2 re-pointed, its DELETE sent");
        _sandbox.Server.Faults.Add(new FaultRule { Registry = Batched, Method = "DELETE", PathPattern = "/manifests/sha256:", Sequence = [403] });
        _sandbox.Server.Faults.Add(new FaultRule { Registry = Batched, Method = "PUT", PathPattern = "/manifests/a2$", Sequence = [400] });
        held.Release();
        await SettledAsync(calls.Select(c => c.Result));

        var failure = await Assert.ThrowsAsync<RegistryFailureException>(() => calls[0].Result);
        Assert.Equal(FailureKind.Forbidden, failure.Kind);
        Assert.Contains("also failed", failure.Message);
        Assert.NotEqual(original, _sandbox.State.DigestOf(Batched, Repository, "a2")); // still on the throw-away manifest

        await AssertNextDeliveryFinishesA2Async(client, original);
    }

    [Fact]
    public async Task A_config_blob_removed_from_the_registry_is_uploaded_again_and_the_batch_goes_on()
    {
        var client = Client(Batched);
        await WarmUpAsync(client);
        using (var http = new HttpClient { BaseAddress = _sandbox.Server.EndpointOf(Batched) })
            Assert.Equal(HttpStatusCode.Accepted, (await http.DeleteAsync($"v2/{Repository}/blobs/{ThrowawayManifest.ConfigDigest}")).StatusCode);

        await AssertBlobUploadedOnceMoreAndA0DeletedAsync(client);
    }

    [Fact]
    public async Task A_config_blob_torn_by_another_workers_upload_is_uploaded_again_and_the_batch_goes_on()
    {
        var client = Client(Batched);
        await WarmUpAsync(client);
        // What distribution answers when two worker processes uploaded the throw-away config blob into the repository at once.
        _sandbox.Server.Faults.Add(new FaultRule { Registry = Batched, Method = "PUT", PathPattern = "/manifests/a0$", Sequence = [400], ErrorCode = "DIGEST_INVALID" });

        await AssertBlobUploadedOnceMoreAndA0DeletedAsync(client);
    }

    /// <summary>a0's first re-pointing is refused for the config blob; it is uploaded again, and the batch of a0 and a1 ends deleted.</summary>
    private async Task AssertBlobUploadedOnceMoreAndA0DeletedAsync(OciClient client)
    {
        var uploadsBefore = _sandbox.Requests(Batched).Count(r => r.Method == "POST");

        var calls = await BatchAsync(client, ["a0", "a1"], 2);

        Assert.All(calls, c => Assert.Equal(DeletionOutcome.Deleted, c.Result.Result.Outcome));
        Assert.Equal(["PUT 400", "PUT 201"], ManifestWrites(Batched, "a0"));
        Assert.Equal(uploadsBefore + 1, _sandbox.Requests(Batched).Count(r => r.Method == "POST"));
        Assert.Null(_sandbox.State.DigestOf(Batched, Repository, "a0"));
    }

    [Fact]
    public async Task A_404_from_the_last_rounds_DELETE_is_not_reported_deleted_while_the_tag_is_still_on_the_throwaway()
    {
        var client = Client(Batched);
        await WarmUpAsync(client);
        var original = _sandbox.State.DigestOf(Batched, Repository, "a4");
        // Rounds one and two: 5xx; the last round: a 404 that the registry gave without deleting anything.
        _sandbox.Server.Faults.Add(new FaultRule { Registry = Batched, Method = "DELETE", PathPattern = "/manifests/sha256:", Sequence = [500, 500, 404] });

        var calls = await BatchAsync(client, ["a4"], 1);

        var failure = await Assert.ThrowsAsync<RegistryFailureException>(() => calls[0].Result);
        Assert.Equal(FailureKind.RetriesExhausted, failure.Kind);
        Assert.Contains("still points at it", failure.Message);
        Assert.Equal(original, _sandbox.State.DigestOf(Batched, Repository, "a4"));
    }

    [Theory]
    [InlineData(Batched)]
    [InlineData(TagDelete)]
    public async Task A_repository_delete_untags_every_tag_with_one_DELETE(string registry)
    {
        var result = await Client(registry).DeleteRepositoryAsync(Repository, deleteTagsFirst: false, new OperationAttempts(), CancellationToken.None);

        Assert.Equal((DeletionOutcome.Deleted, Asked.Length + 3), (result.Outcome, result.TagsDeleted));
        Assert.Equal(Asked.Length + 3, result.UntaggedTags!.Select(t => t.Tag).Distinct().Count());
        Assert.All(result.UntaggedTags!, t => Assert.StartsWith("sha256:", t.Digest));
        Assert.Empty(_sandbox.State.Tags(registry, Repository));
        Assert.Single(DigestDeletes(registry));
    }

    [Fact]
    public async Task A_repository_delete_keeps_one_DELETE_with_more_tags_than_the_batch_size()
    {
        var result = await Client(Batched, maxSize: 2).DeleteRepositoryAsync(Repository, deleteTagsFirst: false, new OperationAttempts(), CancellationToken.None);

        Assert.Equal((DeletionOutcome.Deleted, Asked.Length + 3), (result.Outcome, result.TagsDeleted));
        Assert.Equal(Asked.Length + 3, result.UntaggedTags!.Select(t => t.Tag).Distinct().Count());
        Assert.All(result.UntaggedTags!, t => Assert.StartsWith("sha256:", t.Digest));
        Assert.Empty(_sandbox.State.Tags(Batched, Repository));
        Assert.Single(DigestDeletes(Batched));
    }

    [Fact]
    public async Task A_repository_delete_whose_DELETE_is_refused_puts_every_tag_back_from_its_digest()
    {
        var before = Digests(Batched, [.. Asked, "a2-sibling", "a3-sibling", "other"]);
        _sandbox.Server.Faults.Add(new FaultRule { Registry = Batched, Method = "DELETE", PathPattern = $"/manifests/(?!{ProbeDigest})sha256:", Sequence = [403] });
        var attempts = new OperationAttempts();

        var failure = await Assert.ThrowsAsync<RegistryFailureException>(() =>
            Client(Batched).DeleteRepositoryAsync(Repository, deleteTagsFirst: false, attempts, CancellationToken.None));

        Assert.Equal(FailureKind.Forbidden, failure.Kind);
        Assert.Equal(before, Digests(Batched, before.Keys));
        // Reads, HEADs, the re-pointing and restoring PUTs, and the GETs of the originals all count in the command's attempts.
        Assert.Equal(_sandbox.Requests(Batched).Count, attempts.Requests);
    }
}
