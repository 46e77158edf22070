using System.Diagnostics;
using RegistryCleaner.Contracts;
using RegistryCleaner.Integration.Tests.Support;
using Xunit.Abstractions;

namespace RegistryCleaner.Integration.Tests;

/// <summary>The worker is killed with SIGKILL three times during one batch; each time a new worker takes over and nothing is lost.</summary>
public sealed class WorkerKillTests(ClassVirtualHost<WorkerKillTests> broker, ITestOutputHelper output)
    : IClassFixture<ClassVirtualHost<WorkerKillTests>>
{
    private const int Repositories = 50, TagsPerRepository = 110, DeletedPerRepository = 100;

    [Fact]
    public async Task A_worker_killed_three_times_during_5000_commands_leaves_every_command_succeeded_and_exactly_the_batch_deleted()
    {
        await using var sandbox = await ScaleOutSupport.SandboxAsync(Repositories, TagsPerRepository);
        var untouched = UntouchedTags();
        var commands = ScaleOutSupport.DeleteEveryTag(sandbox).Where(c => !untouched.Contains(c.Tag)).ToList();
        var ids = commands.Select(c => c.RequestId).ToHashSet();
        Assert.Equal(5_000, ids.Count);
        await using var observer = await ScaleOutObserver.StartAsync(broker.RabbitMqUri);
        var settings = ScaleOutSupport.WorkerSettings(broker.RabbitMqUri, sandbox);
        WorkerProcess? worker = await WorkerProcess.StartAsync(settings);
        try
        {
            var clock = Stopwatch.StartNew();
            await observer.SendAsync(QueueNames.DeleteTag, commands);
            // Each kill waits for the new worker to have done more work, so every one lands while commands are outstanding.
            foreach (var killAt in new[] { 600, 1_800, 3_000 })
            {
                await ScaleOutSupport.WaitUntilAsync(() => observer.Succeeded(ids) >= killAt, TimeSpan.FromSeconds(120),
                    () => $"{observer.Succeeded(ids)} of {ids.Count} succeeded, waiting for {killAt}; worker output:\n{worker.Output}");
                worker.Kill();
                var doneAtKill = observer.Succeeded(ids);
                output.WriteLine($"killed worker {worker.Id} at {clock.Elapsed.TotalSeconds:F1} s with {doneAtKill} of {ids.Count} succeeded");
                Assert.True(doneAtKill < ids.Count, "the kill should come mid-batch");
                await worker.DisposeAsync();
                worker = null;
                worker = await WorkerProcess.StartAsync(settings);
            }
            await ScaleOutSupport.WaitUntilAsync(() => observer.Succeeded(ids) == ids.Count, TimeSpan.FromSeconds(180),
                () => $"{observer.Succeeded(ids)} of {ids.Count} succeeded after the third kill; worker output:\n{worker.Output}");
            var deletes = sandbox.Requests.Snapshot(ScaleOutSupport.Registry).Where(r => r.Method == "DELETE").ToList();
            output.WriteLine($"{ids.Count}/{ids.Count} succeeded in {clock.Elapsed.TotalSeconds:F1} s; {deletes.Count(r => r.Status == 404)} redelivered deletions found the tag already absent");
        }
        finally
        {
            if (worker is not null)
                await worker.DisposeAsync();
        }

        Assert.Empty(observer.Failures(ids));
        foreach (var repository in sandbox.State.Repositories(ScaleOutSupport.Registry))
            Assert.Equal(untouched.Order(), sandbox.State.Tags(ScaleOutSupport.Registry, repository).Order());
        Assert.Equal(Repositories, sandbox.State.Repositories(ScaleOutSupport.Registry).Count);
        Assert.Equal(0, await ScaleOutSupport.CountInQueueAsync(broker.RabbitMqUri, QueueNames.DeleteTag + "_error", ids));
    }

    /// <summary>The tags of every repository that are not in the batch (the sandbox names them v0000, v0001, …).</summary>
    private static HashSet<string> UntouchedTags() =>
        Enumerable.Range(DeletedPerRepository, TagsPerRepository - DeletedPerRepository).Select(t => $"v{t:D4}").ToHashSet();
}
