using RegistryCleaner.Contracts;
using RegistryCleaner.Integration.Tests.Support;
using RegistryCleaner.Worker.Hostile;

namespace RegistryCleaner.Integration.Tests;

/// <summary>
/// A command whose handling kills the worker's connection every time (the test-only <see cref="DropConnectionSwitch"/>) is
/// moved to <c>delete-tag_error</c> as poison after the bound, on a classic and on a quorum queue; the valid work sent
/// with it completes, and nothing stays in <c>delete-tag</c>.
/// </summary>
public sealed class PoisonLoopTests
{
    private const int Valid = 60;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_command_that_kills_the_connection_is_moved_aside_after_the_bound_and_valid_work_completes(bool quorum)
    {
        var host = await BatchVirtualHost.CreateAsync("poison", quorum);
        try
        {
            await using var sandbox = await ScaleOutSupport.SandboxAsync(repositories: 2, tagsPerRepository: Valid / 2);
            await using var observer = await ScaleOutObserver.StartAsync(host.RabbitMqUri);
            var poisonTag = $"poison-{Guid.NewGuid():N}"[..20];
            var killer = new DropConnectionSwitch(poisonTag);
            var settings = new Dictionary<string, string?> { ["Transport:RabbitMq:QuorumQueues"] = quorum ? "true" : "false" };
            await using var worker = await InProcessWorker.StartAsync(host.RabbitMqUri, sandbox, settings, killer.Register);

            var valid = ScaleOutSupport.DeleteEveryTag(sandbox);
            var poison = new DeleteTag { RequestId = Guid.NewGuid(), Registry = ScaleOutSupport.Registry, Repository = "scale/app-000", Tag = poisonTag };
            await observer.SendAsync(QueueNames.DeleteTag, [.. valid[..(Valid / 2)], poison, .. valid[(Valid / 2)..]]);

            var requests = valid.Select(v => v.RequestId).ToList();
            await ScaleOutSupport.WaitUntilAsync(() => observer.Succeeded(requests) == Valid, TimeSpan.FromSeconds(180),
                () => $"{observer.Succeeded(requests)} of {Valid} valid commands succeeded; the poison one was handled {killer.Handlings} times");
            await Eventually.TrueAsync(async () => await ErrorCountAsync(host.RabbitMqUri) > 0, TimeSpan.FromSeconds(120),
                () => $"the poison command is not in delete-tag_error; it was handled {killer.Handlings} times");

            var kept = Assert.Single(await ErrorQueue.PeekAsync(host.RabbitMqUri, QueueNames.DeleteTag + "_error"));
            Assert.Equal(PoisonGuard.FailureKind, kept.Text("RC-Failure-Kind"));
            Assert.Contains("poison", kept.Text(PoisonGuard.ReasonHeader));
            Assert.Contains(poison.RequestId.ToString(), System.Text.Encoding.UTF8.GetString(kept.Body));
            Assert.InRange(killer.Handlings, 1, new PoisonOptions().MaxHandlings);
            Assert.Empty(observer.ResultsOf(poison.RequestId));
            Assert.Empty(ScaleOutSupport.DeleteEveryTag(sandbox));
            Assert.Equal(0, await ScaleOutSupport.CountInQueueAsync(host.RabbitMqUri, QueueNames.DeleteTag, new HashSet<Guid>([.. requests, poison.RequestId])));

            // The Publisher lists it as poison and re-drives it only with --force (the worker is stopped, so it stays in delete-tag).
            await worker.DisposeAsync();
            var request = poison.RequestId.ToString();
            var listed = await BatchCli.RunAsync("failed", "list", "--request", request, "--json", "--broker", host.RabbitMqUri);
            var shown = Assert.Single(listed.Events("FailedCommand"));
            Assert.Equal(PoisonGuard.FailureKind, shown.GetProperty("failure").GetString());
            Assert.True(shown.GetProperty("poison").GetBoolean());
            var refused = await BatchCli.RunAsync("failed", "redrive", "--request", request, "--broker", host.RabbitMqUri);
            Assert.True(refused.Exit == 1 && refused.Error.Contains("--force"), refused.ToString());
            Assert.Equal(1, await ScaleOutSupport.CountInQueueAsync(host.RabbitMqUri, QueueNames.DeleteTag + "_error", new HashSet<Guid> { poison.RequestId }));
            var forced = await BatchCli.RunAsync("failed", "redrive", "--request", request, "--force", "--broker", host.RabbitMqUri);
            Assert.True(forced.Exit == 0, forced.ToString());
            Assert.Equal(1, await ScaleOutSupport.CountInQueueAsync(host.RabbitMqUri, QueueNames.DeleteTag, new HashSet<Guid> { poison.RequestId }));
            Assert.Equal(0, await ScaleOutSupport.CountInQueueAsync(host.RabbitMqUri, QueueNames.DeleteTag + "_error", new HashSet<Guid> { poison.RequestId }));
        }
        finally
        {
            await host.DeleteAsync();
        }
    }

    private static async Task<int> ErrorCountAsync(string brokerUri)
    {
        var factory = new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(brokerUri) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (int)(await channel.QueueDeclarePassiveAsync(QueueNames.DeleteTag + "_error")).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return 0;
        }
    }
}
