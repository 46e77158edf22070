using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using RegistryCleaner.Contracts;
using RegistryCleaner.Integration.Tests.Support;

namespace RegistryCleaner.Integration.Tests;

/// <summary><c>Transport__RabbitMq__QuorumQueues=true</c>: the worker's queues and their error queues are quorum queues.</summary>
public sealed class ScaleOutQuorumQueueTests(ClassVirtualHost<ScaleOutQuorumQueueTests> classic)
    : IClassFixture<ClassVirtualHost<ScaleOutQuorumQueueTests>>
{
    [Fact]
    public async Task The_worker_declares_quorum_queues_and_its_work_and_error_queues_work_on_them()
    {
        var broker = ScaleOutSupport.QuorumRabbitMqUri;
        await using var sandbox = await ScaleOutSupport.SandboxAsync(repositories: 1, tagsPerRepository: 2);
        await using var observer = await ScaleOutObserver.StartAsync(broker);
        var settings = ScaleOutSupport.WorkerSettings(broker, sandbox);
        settings["Transport__RabbitMq__QuorumQueues"] = "true";
        await using var worker = await WorkerProcess.StartAsync(settings);

        var deletion = ScaleOutSupport.DeleteEveryTag(sandbox)[0];
        var unknown = deletion with { RequestId = Guid.NewGuid(), Registry = "nowhere" };
        await observer.SendAsync(QueueNames.DeleteTag, [deletion, unknown]);
        await ScaleOutSupport.WaitUntilAsync(() => observer.ResultsOf(deletion.RequestId).Count > 0 && observer.ResultsOf(unknown.RequestId).Count > 0,
            TimeSpan.FromSeconds(30), () => worker.Output);

        Assert.True(observer.ResultsOf(deletion.RequestId)[0].Succeeded);
        Assert.False(observer.ResultsOf(unknown.RequestId)[0].Succeeded);
        Assert.Equal(1, await ScaleOutSupport.CountInQueueAsync(broker, QueueNames.DeleteTag + "_error", new HashSet<Guid> { unknown.RequestId }));
        foreach (var queue in new[] { QueueNames.DeleteTag, QueueNames.DeleteTag + "_error", QueueNames.RunRetentionPolicy, QueueNames.DeleteRepository + "_error" })
            Assert.Equal("quorum", await QueueTypeAsync(broker, queue));
    }

    [Fact]
    public async Task On_a_virtual_host_that_makes_classic_queues_the_worker_refuses_to_start_and_says_why()
    {
        await using var sandbox = await ScaleOutSupport.SandboxAsync(repositories: 1, tagsPerRepository: 1);
        var settings = ScaleOutSupport.WorkerSettings(classic.RabbitMqUri, sandbox);
        settings["Transport__RabbitMq__QuorumQueues"] = "true";

        var (exit, output) = await WorkerProcess.RunToExitAsync(settings, TimeSpan.FromSeconds(60));

        Assert.Equal(1, exit);
        Assert.Contains("--default-queue-type quorum", output);
        Assert.NotEqual("quorum", await QueueTypeAsync(classic.RabbitMqUri, QueueNames.DeleteTag));
        Assert.NotEqual("quorum", await QueueTypeAsync(classic.RabbitMqUri, QueueNames.RetentionPolicies + "_error"));
    }

    /// <summary>
    /// "absent", or the queue's type: RabbitMQ accepts a quorum declaration of an existing queue only when it is a quorum
    /// queue. Never creates a queue.
    /// </summary>
    private static async Task<string> QueueTypeAsync(string brokerUri, string queue)
    {
        var factory = new ConnectionFactory { Uri = new Uri(brokerUri) };
        await using var connection = await factory.CreateConnectionAsync();
        try
        {
            await using var channel = await connection.CreateChannelAsync();
            await channel.QueueDeclarePassiveAsync(queue);
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            return "absent";
        }
        try
        {
            await using var channel = await connection.CreateChannelAsync();
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
                arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });
            return "quorum";
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 406)
        {
            return "classic";
        }
    }
}
