using System.Runtime.InteropServices;
using MassTransit;
using RegistryCleaner.Common.Messaging;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Messaging;

namespace RegistryCleaner.Bench.Messaging;

/// <summary>
/// The bare messaging round trip, run as its own process like the worker: consumes <see cref="DeleteTag"/> from a
/// durable queue and publishes one <see cref="DeletionSucceeded"/> per command, with the worker's default
/// prefetch and concurrency, and nothing else.
/// </summary>
public sealed class NoopConsumer : IConsumer<DeleteTag>
{
    public const string Queue = "bench-noop";

    public Task Consume(ConsumeContext<DeleteTag> context) => context.Publish(new DeletionSucceeded
    {
        RequestId = context.Message.RequestId,
        Registry = context.Message.Registry,
        Repository = context.Message.Repository,
        Tag = context.Message.Tag,
        Outcome = DeletionOutcome.Deleted,
        Attempts = 1,
        CompletedAt = DateTimeOffset.UtcNow,
    });

    /// <summary>Runs until SIGTERM. Reads <c>Transport__RabbitMq__Uri</c>, <c>Transport__RabbitMq__PrefetchCount</c> and <c>Consumers__ConcurrentMessageLimit</c>.</summary>
    public static async Task<int> RunAsync()
    {
        var uri = Environment.GetEnvironmentVariable("Transport__RabbitMq__Uri");
        var prefetch = int.TryParse(Environment.GetEnvironmentVariable("Transport__RabbitMq__PrefetchCount"), out var p) ? p : new RabbitMqOptions().PrefetchCount;
        var limit = int.TryParse(Environment.GetEnvironmentVariable("Consumers__ConcurrentMessageLimit"), out var l) ? l : new ConsumerOptions().ConcurrentMessageLimit;
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            BrokerAddress.Parse(uri, "Transport__RabbitMq__Uri").Configure(cfg);
            cfg.ReceiveEndpoint(Queue, e =>
            {
                e.PrefetchCount = prefetch;
                e.ConcurrentMessageLimit = limit;
                e.Consumer<NoopConsumer>();
            });
        });
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            stop.TrySetResult();
        });
        await bus.StartAsync();
        await stop.Task;
        await bus.StopAsync();
        return 0;
    }
}
