using System.Collections.Concurrent;
using System.Diagnostics;
using RegistryCleaner.Contracts;
using RegistryCleaner.Integration.Tests.Contract;
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

/// <summary>The worker is killed with SIGKILL in the middle of an untag batch; a new worker finishes it.</summary>
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
        // The worker reaches the registry through a proxy that holds a batch's DELETE of its throw-away manifest: the kill
        // then lands exactly where the batch has re-pointed its tags and not yet deleted them.
        await using var proxy = await FaultProxy.StartAsync(TestServices.OciRegistry);
        var images = repository.Digests.Values.ToHashSet(StringComparer.Ordinal);
        proxy.Hold = async request => request.Method == "DELETE" && ManifestDigest(request.Path.Value) is { } digest && !images.Contains(digest)
            && await registry.ResolveAsync(repository.Name, digest) is not null; // not the deletion probe, whose digest no manifest has
        var settings = new Dictionary<string, string?>
        {
            ["Transport__Kind"] = "RabbitMq",
            ["Transport__RabbitMq__Uri"] = broker.RabbitMqUri,
            ["Registries__oci__Kind"] = "Oci",
            ["Registries__oci__Endpoint"] = proxy.Address.ToString(),
            ["Logging__LogLevel__RegistryCleaner"] = "Warning",
        };
        var worker = await WorkerProcess.StartAsync(settings);
        List<string> onThrowaway;
        try
        {
            await observer.SendAsync(QueueNames.DeleteTag, commands);
            await proxy.Held.WaitAsync(TimeSpan.FromSeconds(120));
            worker.Kill();
            proxy.Hold = null;
            Assert.True(observer.Succeeded(ids) < ids.Count, "every command ended before its batch's DELETE");
            onThrowaway = await OnThrowawayAsync(registry, repository);
            output.WriteLine($"killed: {observer.Succeeded(ids)} of {ids.Count} succeeded; {onThrowaway.Count} tags left on a throw-away manifest");
            await worker.DisposeAsync();
            worker = await WorkerProcess.StartAsync(settings);
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

    private static string? ManifestDigest(string? path) =>
        path?.IndexOf("/manifests/sha256:", StringComparison.Ordinal) is >= 0 and var at ? path[(at + "/manifests/".Length)..] : null;

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
