using System.Diagnostics;
using MassTransit;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using RegistryCleaner.Common.Messaging;
using RegistryCleaner.Contracts;
namespace RegistryCleaner.Bench.Messaging;

/// <summary>
/// The bench's own RabbitMQ connection: sends commands (publisher confirms, persistent messages, durable queues,
/// as the Publisher does) and consumes every result event on a durable queue of its own, as an audit observer would.
/// </summary>
public sealed class BenchBus : IAsyncDisposable
{
    public const string ResultQueue = "bench-results";

    private readonly IBusControl _bus;
    private volatile ResultBatch? _batch;

    private BenchBus(IBusControl bus) => _bus = bus;

    public static async Task<BenchBus> StartAsync(string rabbitMqUri)
    {
        BenchBus? self = null;
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            BrokerAddress.Parse(rabbitMqUri, "RC_TEST_RABBITMQ_URI").Configure(cfg);
            cfg.ReceiveEndpoint(ResultQueue, e =>
            {
                e.PurgeOnStartup = true;
                e.PrefetchCount = 512;
                e.Handler<DeletionSucceeded>(c =>
                {
                    self!._batch?.Record(c.Message.RequestId, c.Message.Outcome, null);
                    return Task.CompletedTask;
                });
                e.Handler<DeletionFailed>(c =>
                {
                    self!._batch?.Record(c.Message.RequestId, null, $"{c.Message.Failure}: {c.Message.Detail}");
                    return Task.CompletedTask;
                });
            });
        });
        self = new BenchBus(bus);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await bus.StartAsync(timeout.Token);
        return self;
    }

    /// <summary>Records results for <paramref name="batch"/> from now on, for commands the caller sends itself.</summary>
    public void Track(ResultBatch batch) => _batch = batch;

    /// <summary>Sends every command of the batch as fast as the broker confirms them, <paramref name="parallel"/> at a time.</summary>
    public async Task SendAllAsync(ResultBatch batch, string queue, int parallel = 64)
    {
        _batch = batch;
        var endpoint = await _bus.GetSendEndpoint(QueueNames.Address(queue));
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < batch.Commands.Count)
            {
                batch.MarkSent(i);
                await endpoint.Send(batch.Commands[i]);
            }
        })));
    }

    /// <summary>Sends the batch at a steady <paramref name="perSecond"/>, so latency shows the path itself rather than a queue.</summary>
    public async Task SendPacedAsync(ResultBatch batch, string queue, double perSecond)
    {
        _batch = batch;
        var endpoint = await _bus.GetSendEndpoint(QueueNames.Address(queue));
        var sends = new List<Task>(batch.Commands.Count);
        var start = Stopwatch.GetTimestamp();
        var sent = 0;
        while (sent < batch.Commands.Count)
        {
            var due = Math.Min(batch.Commands.Count, (int)(Stopwatch.GetElapsedTime(start).TotalSeconds * perSecond) + 1);
            for (; sent < due; sent++)
            {
                batch.MarkSent(sent);
                sends.Add(endpoint.Send(batch.Commands[sent]));
            }
            await Task.Delay(1);
        }
        await Task.WhenAll(sends);
    }

    /// <summary>Empties a command queue, so that what an earlier, failed run left there cannot slow the next one.</summary>
    public static async Task PurgeAsync(string rabbitMqUri, string queue)
    {
        var broker = BrokerAddress.Parse(rabbitMqUri, "RC_TEST_RABBITMQ_URI");
        var factory = new ConnectionFactory
        {
            HostName = broker.Host,
            Port = broker.Port,
            VirtualHost = broker.VirtualHost,
            UserName = broker.Username,
            Password = broker.Password,
        };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            await channel.QueuePurgeAsync(queue);
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            // not declared yet: nothing to purge
        }
    }

    public async ValueTask DisposeAsync() => await _bus.StopAsync(CancellationToken.None);
}
