using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using RegistryCleaner.Common.Messaging;

namespace RegistryCleaner.Worker.Messaging;

/// <summary>
/// With <c>Transport:RabbitMq:QuorumQueues</c>, before the bus starts: the virtual host must create quorum queues by default
/// (publishers, the Publisher CLI included, declare the queues they send to without a type, and RabbitMQ refuses a
/// declaration whose type differs from the queue's), and none of the worker's queues may exist as a classic queue, which
/// cannot be turned into a quorum queue in place. Either stops the worker with what to do instead of failing later.
/// </summary>
public sealed class QuorumQueueCheck(BrokerAddress broker, IReadOnlyList<string> queues, ILogger<QuorumQueueCheck> log) : IHostedService
{
    private const ushort PreconditionFailed = 406;
    private static readonly Dictionary<string, object?> Quorum = new() { ["x-queue-type"] = "quorum" };

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = await BrokerConnection.ConnectAsync(broker, "quorum queue check", log, cancellationToken);
        // Checked first: on a virtual host that makes classic queues, declaring the worker's queues here would make them
        // quorum queues that the classic workers and publishers of that virtual host could no longer declare.
        if (!await CreatesQuorumByDefaultAsync(connection, cancellationToken))
        {
            throw new InvalidOperationException($"Transport:RabbitMq:QuorumQueues is true, but virtual host '{broker.VirtualHost}' creates classic "
                + "queues by default, so publishers that declare the worker's queues would be refused. Use a virtual host made with "
                + "'rabbitmqctl add_vhost NAME --default-queue-type quorum' (see the README on switching a deployment).");
        }
        var errors = new List<string>();
        foreach (var queue in queues)
        {
            if (!await IsQuorumOrNewAsync(connection, queue, cancellationToken))
                errors.Add($"Queue '{queue}' already exists as a classic queue, which cannot become a quorum queue in place (see the README on switching a deployment).");
        }
        if (errors.Count > 0)
            throw new InvalidOperationException(string.Join(Environment.NewLine + "  ", errors));
        log.LogInformation("The worker's queues are quorum queues on virtual host {VirtualHost}", broker.VirtualHost);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task<bool> CreatesQuorumByDefaultAsync(IConnection connection, CancellationToken ct)
    {
        var probe = $"registry-cleaner.probe.{Guid.NewGuid():N}";
        await using (var channel = await connection.CreateChannelAsync(cancellationToken: ct))
            await channel.QueueDeclareAsync(probe, durable: true, exclusive: false, autoDelete: false, arguments: null, cancellationToken: ct);
        try
        {
            return await IsQuorumOrNewAsync(connection, probe, ct);
        }
        finally
        {
            await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
            await channel.QueueDeleteAsync(probe, cancellationToken: ct);
        }
    }

    /// <summary>Declares the queue as a quorum queue: RabbitMQ refuses that only when it exists with another type.</summary>
    private static async Task<bool> IsQuorumOrNewAsync(IConnection connection, string queue, CancellationToken ct)
    {
        try
        {
            await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: Quorum, cancellationToken: ct);
            return true;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == PreconditionFailed)
        {
            return false;
        }
    }
}
