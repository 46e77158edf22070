using System.Diagnostics;
using RabbitMQ.Client;
using RegistryCleaner.Contracts;
using RegistryCleaner.Integration.Tests.Support;
using Xunit.Abstractions;

namespace RegistryCleaner.Integration.Tests;

/// <summary>
/// RabbitMQ is stopped and started again while a batch is under way. A node of the test's own is stopped, so the shared
/// broker that the other tests use stays up.
/// </summary>
public sealed class BrokerRestartTests(ITestOutputHelper output)
{
    private const int Repositories = 30, TagsPerRepository = 110, DeletedPerRepository = 100;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task RabbitMQ_stopped_and_restarted_mid_batch_the_worker_and_the_publisher_reconnect_and_every_request_succeeds()
    {
        // rabbitmqctl talks to the node from ports 10000 above its distribution port: that one stays well below 55535.
        await using var node = await PrivateRabbitMqNode.StartAsync(FreePort(), FreePort(20000, 40000));
        await using var sandbox = await ScaleOutSupport.SandboxAsync(Repositories, TagsPerRepository);
        var lines = sandbox.State.Repositories(ScaleOutSupport.Registry)
            .SelectMany(repository => Enumerable.Range(0, DeletedPerRepository).Select(t => $$"""{"registry":"oci","repository":"{{repository}}","tag":"{{TagName(t)}}"}"""))
            .ToList();
        var file = await BatchCli.WriteFileAsync(".jsonl", lines);
        await using var worker = await WorkerProcess.StartAsync(ScaleOutSupport.WorkerSettings(node.Uri, sandbox));
        var tagsBefore = sandbox.State.TagCount(ScaleOutSupport.Registry);
        int Deleted() => tagsBefore - sandbox.State.TagCount(ScaleOutSupport.Registry);

        var clock = Stopwatch.StartNew();
        using var publisher = PausableCli.Start("delete-tags", "--file", file, "--wait", "--timeout", "180", "--json", "--broker", node.Uri);
        await ScaleOutSupport.WaitUntilAsync(() => Deleted() > 0 || publisher.HasExited, TimeSpan.FromSeconds(60),
            () => $"the worker deleted nothing; worker output:\n{worker.Output}");
        Assert.False(publisher.HasExited, "the broker should stop while the batch is under way");
        await node.StopAsync();
        output.WriteLine($"broker stopped at {clock.Elapsed.TotalSeconds:F1} s with {Deleted()} of {lines.Count} tags deleted");
        // Held back until the worker has reconnected and done more, the publisher is the last to come back: the results
        // published meanwhile must wait for it in its results queue.
        publisher.Pause();
        await Task.Delay(Outage);
        var deletedWhileDown = Deleted();
        Assert.True(deletedWhileDown < lines.Count, "the broker should stop mid-batch");
        await node.StartAsync();
        output.WriteLine($"broker up again at {clock.Elapsed.TotalSeconds:F1} s");
        // Redelivered commands come back one at a time (the poison guard isolates what came back), so the bound is generous.
        await ScaleOutSupport.WaitUntilAsync(() => Deleted() > deletedWhileDown, TimeSpan.FromSeconds(150),
            () => $"the worker did not resume after the restart; worker output:\n{worker.Output}");
        var (deletedAtResume, queuedAtResume) = (Deleted(), await QueuedAsync(node.Uri, QueueNames.DeleteTag));
        publisher.Resume();
        output.WriteLine($"publisher resumed at {clock.Elapsed.TotalSeconds:F1} s; {deletedAtResume - deletedWhileDown} tags deleted while it was held back, "
            + $"{queuedAtResume} commands queued, so about {lines.Count - deletedAtResume - queuedAtResume} still to be sent");

        var result = await publisher.WaitAsync(TimeSpan.FromSeconds(200));
        output.WriteLine($"publisher exited {result.Exit} at {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(result.Exit == 0, $"{result}\nworker output:\n{worker.Output}");
        Assert.False(worker.HasExited, $"the worker should have reconnected, not ended:\n{worker.Output}");
        var succeeded = result.Events("DeletionSucceeded").ToList();
        var ids = succeeded.Select(e => e.GetProperty("requestId").GetGuid()).ToHashSet();
        Assert.Equal(lines.Count, ids.Count);
        Assert.Equal(lines.Count, succeeded.Count);
        Assert.Empty(result.Events("DeletionFailed"));
        output.WriteLine($"{lines.Count}/{lines.Count} succeeded, {succeeded.Count(e => e.GetProperty("outcome").GetString() == nameof(DeletionOutcome.AlreadyAbsent))} of them AlreadyAbsent");
        var untouched = Enumerable.Range(DeletedPerRepository, TagsPerRepository - DeletedPerRepository).Select(TagName).ToList();
        foreach (var repository in sandbox.State.Repositories(ScaleOutSupport.Registry))
            Assert.Equal(untouched, sandbox.State.Tags(ScaleOutSupport.Registry, repository).Order());
        Assert.Equal(0, await ScaleOutSupport.CountInQueueAsync(node.Uri, QueueNames.DeleteTag + "_error", ids));
    }

    private static async Task<uint> QueuedAsync(string brokerUri, string queue)
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(brokerUri) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
    }

    /// <summary>A port in [from, to) that nothing listens on now (any, without bounds), so the node's ports are its own wherever the suite runs.</summary>
    private static int FreePort(int from = 0, int to = 1)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, Random.Shared.Next(from, to));
            try
            {
                listener.Start();
                return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            }
            catch (System.Net.Sockets.SocketException) when (attempt < 50)
            {
                // taken: try another
            }
        }
    }

    /// <summary>The sandbox names a repository's tags v0000, v0001, …</summary>
    private static string TagName(int index) => $"v{index:D4}";
}
