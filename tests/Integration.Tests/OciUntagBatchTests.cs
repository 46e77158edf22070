using System.Collections.Concurrent;
using System.Diagnostics;
using RegistryCleaner.Contracts;
using RegistryCleaner.Integration.Tests.Support;
using Xunit.Abstractions;

namespace RegistryCleaner.Integration.Tests;

/// <summary>Untag batches end to end on the real docker-registry (distribution 2.8, which has no spec 1.1 tag delete).</summary>
public sealed class OciUntagBatchTests(OwnWorkerFixture fixture, ITestOutputHelper output) : IClassFixture<OwnWorkerFixture>
{
    [Fact]
    public async Task Three_hundred_tags_in_one_publisher_batch_are_deleted_exactly_and_each_result_names_its_digest()
    {
        var repository = await SiblingRepository.PushAsync(fixture.Registry, "untag-batch", asked: 300, pairs: 30);
        var file = await BatchCli.WriteFileAsync(".jsonl", repository.Asked.Select(tag =>
            $$"""{"registry":"oci","repository":"{{repository.Name}}","tag":"{{tag}}","reason":"untag batch test"}"""));

        var clock = Stopwatch.StartNew();
        var run = await BatchCli.RunAsync(TimeSpan.FromMinutes(4), null, "delete-tags", "--file", file, "--wait", "--timeout", "200", "--json", "--broker", fixture.BrokerUri);
        output.WriteLine($"300 tags deleted in {clock.Elapsed.TotalSeconds:F1} s");

        Assert.True(run.Exit == 0, run.ToString());
        var results = run.Events("DeletionSucceeded").ToList();
        Assert.Equal(300, results.Count);
        foreach (var result in results)
        {
            var tag = result.GetProperty("tag").GetString()!;
            Assert.Equal(nameof(DeletionOutcome.Deleted), result.GetProperty("outcome").GetString());
            Assert.Equal(repository.Digests[tag], result.GetProperty("digest").GetString());
        }
        await repository.AssertExactAsync(fixture.Registry);
    }

    [Fact]
    public async Task A_tag_pushed_into_the_repository_while_batches_run_survives()
    {
        var repository = await SiblingRepository.PushAsync(fixture.Registry, "pushed-meanwhile", asked: 120, pairs: 12);
        var commands = repository.Asked.Select(tag => new DeleteTag { RequestId = Guid.NewGuid(), Registry = "oci", Repository = repository.Name, Tag = tag }).ToList();
        var pushed = new ConcurrentDictionary<string, string>();
        using var stop = new CancellationTokenSource();
        var pushing = Task.Run(async () =>
        {
            // Pushes go on from before the first command is sent until every result is in, so they land during the batches.
            for (var i = 0; !stop.IsCancellationRequested; i++)
                pushed[$"new-{i}"] = await fixture.Registry.PushAsync(repository.Name, $"new-{i}", $"new-{i}");
        });

        await Task.WhenAll(commands.Select(c => fixture.SendAsync(QueueNames.DeleteTag, c)));
        var pushedBefore = pushed.Count;
        foreach (var command in commands)
        {
            var result = await fixture.ResultAsync(command.RequestId);
            Assert.True(result.Succeeded is { Outcome: DeletionOutcome.Deleted }, $"{command.Tag}: {result.Failed?.Failure} {result.Failed?.Detail}");
        }
        var pushedDuring = pushed.Count - pushedBefore;
        await stop.CancelAsync();
        await pushing;
        output.WriteLine($"{pushedDuring} tags pushed while 120 were deleted");
        Assert.True(pushedDuring > 0, "no push landed while the batches ran");

        Assert.Equal(repository.Kept.Concat(pushed.Keys).Order(StringComparer.Ordinal), await fixture.Registry.TagsAsync(repository.Name));
        foreach (var (tag, digest) in pushed)
            Assert.Equal(digest, await fixture.Registry.ResolveAsync(repository.Name, tag));
        foreach (var tag in repository.Kept)
            Assert.Equal(repository.Digests[tag], await fixture.Registry.ResolveAsync(repository.Name, tag));
    }

    [Fact]
    public async Task A_batch_mixing_present_absent_and_invalid_tags_gives_each_tag_its_own_outcome()
    {
        var repository = await SiblingRepository.PushAsync(fixture.Registry, "mixed", asked: 6, pairs: 2);
        DeleteTag Command(string tag) => new() { RequestId = Guid.NewGuid(), Registry = "oci", Repository = repository.Name, Tag = tag };
        var present = repository.Asked.Select(Command).ToList();
        var absent = new[] { "never-pushed", "gone-1" }.Select(Command).ToList();
        var invalid = new[] { "-starts-with-dash", new string('x', 129) }.Select(Command).ToList();

        await Task.WhenAll(present.Concat(absent).Concat(invalid).Select(c => fixture.SendAsync(QueueNames.DeleteTag, c)));

        foreach (var command in present)
        {
            var succeeded = Assert.IsType<DeletionSucceeded>((await fixture.ResultAsync(command.RequestId)).Succeeded);
            Assert.Equal((DeletionOutcome.Deleted, repository.Digests[command.Tag]), (succeeded.Outcome, succeeded.Digest));
        }
        foreach (var command in absent)
        {
            var succeeded = Assert.IsType<DeletionSucceeded>((await fixture.ResultAsync(command.RequestId)).Succeeded);
            Assert.Equal((DeletionOutcome.AlreadyAbsent, null), (succeeded.Outcome, succeeded.Digest));
        }
        foreach (var command in invalid)
        {
            var failed = Assert.IsType<DeletionFailed>((await fixture.ResultAsync(command.RequestId)).Failed);
            Assert.Equal((FailureKind.Rejected, 0), (failed.Failure, failed.Attempts));
        }
        await repository.AssertExactAsync(fixture.Registry);
    }
}

/// <summary>The worker is killed with SIGKILL in the middle of untag batches; a new worker finishes them.</summary>
public sealed class OciUntagBatchKillTests(ClassVirtualHost<OciUntagBatchKillTests> broker, ITestOutputHelper output)
    : IClassFixture<ClassVirtualHost<OciUntagBatchKillTests>>
{
    [Fact]
    public async Task A_worker_killed_mid_batch_leaves_every_command_succeeded_and_the_result_exact()
    {
        using var registry = new ImagePusher(TestServices.OciRegistry);
        var repository = await SiblingRepository.PushAsync(registry, "untag-kill", asked: 300, pairs: 30);
        var commands = repository.Asked.Select(tag => new DeleteTag { RequestId = Guid.NewGuid(), Registry = "oci", Repository = repository.Name, Tag = tag }).ToList();
        var ids = commands.Select(c => c.RequestId).ToHashSet();
        await using var observer = await ScaleOutObserver.StartAsync(broker.RabbitMqUri);
        var settings = new Dictionary<string, string?>
        {
            ["Transport__Kind"] = "RabbitMq",
            ["Transport__RabbitMq__Uri"] = broker.RabbitMqUri,
            ["Registries__oci__Kind"] = "Oci",
            ["Registries__oci__Endpoint"] = TestServices.OciRegistry.ToString(),
            // Batches as large as the worker's concurrency (64): re-pointing a batch then takes long enough to be seen and
            // killed before its DELETE, where a quick machine finished batches of 32 between the sighting and the kill.
            ["Registries__oci__UntagBatch__MaxSize"] = "64",
            ["Registries__oci__UntagBatch__LingerMilliseconds"] = "200",
            ["Logging__LogLevel__RegistryCleaner"] = "Warning",
        };
        var worker = await WorkerProcess.StartAsync(settings);
        List<string> onThrowaway = [];
        try
        {
            await observer.SendAsync(QueueNames.DeleteTag, commands);
            // Kill the moment a batch has re-pointed tags and not yet deleted them. A batch may finish between the sighting and
            // the kill: then the next batch is watched, on a new worker, a bounded number of times.
            for (var kills = 1; onThrowaway.Count == 0; kills++)
            {
                Assert.True(kills <= 5, $"no kill in five caught a tag on a throw-away manifest; worker output:\n{worker.Output}");
                Assert.True(observer.Succeeded(ids) < ids.Count, "every command ended before a kill caught a batch between re-pointing and its DELETE");
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
                while (!await AnyOnThrowawayAsync(registry, repository, observer, commands))
                    Assert.True(DateTime.UtcNow < deadline, $"no tag seen on a throw-away manifest within 120 s; {observer.Succeeded(ids)} of {ids.Count} succeeded; worker output:\n{worker.Output}");
                worker.Kill();
                onThrowaway = await OnThrowawayAsync(registry, repository);
                output.WriteLine($"kill {kills}: {observer.Succeeded(ids)} of {ids.Count} succeeded; {onThrowaway.Count} tags left on a throw-away manifest");
                await worker.DisposeAsync();
                worker = await WorkerProcess.StartAsync(settings);
            }
            await ScaleOutSupport.WaitUntilAsync(() => observer.Succeeded(ids) == ids.Count, TimeSpan.FromSeconds(180),
                () => $"{observer.Succeeded(ids)} of {ids.Count} succeeded after the kill; worker output:\n{worker.Output}");
        }
        finally
        {
            await worker.DisposeAsync();
        }

        Assert.NotEmpty(onThrowaway);
        Assert.Empty(observer.Failures(ids));
        foreach (var tag in onThrowaway)
            Assert.Null(await registry.ResolveAsync(repository.Name, tag)); // finished by the redelivered commands
        await repository.AssertExactAsync(registry);
    }

    /// <summary>Whether some asked tag whose command has not ended resolves, but no longer to its image (16 at a time).</summary>
    private static async Task<bool> AnyOnThrowawayAsync(ImagePusher registry, SiblingRepository repository, ScaleOutObserver observer, List<DeleteTag> commands)
    {
        var pending = commands.Where(c => observer.ResultsOf(c.RequestId).Count == 0).Select(c => c.Tag).ToList();
        var found = 0;
        await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (tag, _) =>
        {
            if (Volatile.Read(ref found) == 0 && await ResolveWhileBatchesRunAsync(registry, repository.Name, tag) is { } digest && digest != repository.Digests[tag])
                Interlocked.Exchange(ref found, 1);
        });
        return found == 1;
    }

    /// <summary>
    /// The tag's digest, or null when it is gone or cannot be read right now: distribution answers 500 for a tag link that a
    /// batch's PUT is rewriting at that moment, which says nothing about where the tag will point.
    /// </summary>
    private static async Task<string?> ResolveWhileBatchesRunAsync(ImagePusher registry, string repository, string tag)
    {
        try
        {
            return await registry.ResolveAsync(repository, tag);
        }
        catch (HttpRequestException e) when ((int?)e.StatusCode >= 500)
        {
            return null;
        }
    }

    /// <summary>Asked tags that still resolve, but no longer to their image: a batch re-pointed them and was cut off before its DELETE.</summary>
    private static async Task<List<string>> OnThrowawayAsync(ImagePusher registry, SiblingRepository repository)
    {
        var tags = new List<string>();
        foreach (var tag in repository.Asked)
        {
            if (await registry.ResolveAsync(repository.Name, tag) is { } digest && digest != repository.Digests[tag])
                tags.Add(tag);
        }
        return tags;
    }
}
