using RegistryCleaner.Contracts;
using RegistryCleaner.Integration.Tests.Support;

namespace RegistryCleaner.Integration.Tests;

/// <summary>Several worker processes on one RabbitMQ share the queues; one dies mid-batch and nothing is lost.</summary>
public sealed class ScaleOutCompetingConsumersTests(ClassVirtualHost<ScaleOutCompetingConsumersTests> broker)
    : IClassFixture<ClassVirtualHost<ScaleOutCompetingConsumersTests>>
{
    [Fact]
    public async Task Two_workers_share_a_batch_and_when_one_is_killed_every_command_still_ends_in_success()
    {
        await using var sandbox = await ScaleOutSupport.SandboxAsync(repositories: 50, tagsPerRepository: 100);
        var commands = ScaleOutSupport.DeleteEveryTag(sandbox);
        var ids = commands.Select(c => c.RequestId).ToHashSet();
        await using var observer = await ScaleOutObserver.StartAsync(broker.RabbitMqUri);
        var settings = ScaleOutSupport.WorkerSettings(broker.RabbitMqUri, sandbox);
        settings["Consumers__ConcurrentMessageLimit"] = "32";
        settings["Transport__RabbitMq__PrefetchCount"] = "32";
        await using var first = await WorkerProcess.StartAsync(settings);
        await using var second = await WorkerProcess.StartAsync(settings);

        await observer.SendAsync(QueueNames.DeleteTag, commands);
        await ScaleOutSupport.WaitUntilAsync(
            () => observer.SucceededByProcess(ids) is var by && by.GetValueOrDefault(first.Id) >= 200 && by.GetValueOrDefault(second.Id) >= 200,
            TimeSpan.FromSeconds(90), () => $"both workers should have deleted some; so far {Describe(observer.SucceededByProcess(ids))}");
        first.Kill();
        var doneBeforeKill = observer.Succeeded(ids);
        await ScaleOutSupport.WaitUntilAsync(() => observer.Succeeded(ids) == ids.Count, TimeSpan.FromSeconds(120),
            () => $"{observer.Succeeded(ids)} of {ids.Count} commands succeeded; worker output:\n{second.Output}");

        Assert.True(doneBeforeKill < ids.Count, "the kill should come mid-batch");
        Assert.Empty(observer.Failures(ids));
        Assert.Equal(0, sandbox.State.TagCount(ScaleOutSupport.Registry));
        var byProcess = observer.SucceededByProcess(ids);
        Assert.True(byProcess.GetValueOrDefault(first.Id) > 0 && byProcess.GetValueOrDefault(second.Id) > 0, Describe(byProcess));
        Assert.Equal(0, await ScaleOutSupport.CountInQueueAsync(broker.RabbitMqUri, QueueNames.DeleteTag + "_error", ids));
    }

    private static string Describe(Dictionary<int, int> byProcess) => string.Join(", ", byProcess.Select(p => $"process {p.Key}: {p.Value}"));
}
