using System.Threading.Channels;
using MassTransit;
using Polly;
using Polly.Retry;
using RegistryCleaner.Common.Messaging;
using RegistryCleaner.Contracts;

namespace RegistryCleaner.Publisher.Messaging;

/// <summary>
/// A RabbitMQ connection that sends commands to the worker's durable queues and, when asked, listens to result
/// events on a queue of its own that is bound before anything is sent and outlives a broker restart, so no result can be missed.
/// </summary>
public sealed class PublisherBus : IAsyncDisposable
{
    private readonly IBusControl _bus;
    private readonly Channel<ResultEvent> _results = Channel.CreateUnbounded<ResultEvent>();
    private readonly Channel<RetentionRunCompleted> _runs = Channel.CreateUnbounded<RetentionRunCompleted>();
    private readonly Channel<object> _journalEvents = Channel.CreateUnbounded<object>();

    private PublisherBus(IBusControl bus) => _bus = bus;

    /// <summary>Long enough to reconnect after a broker restart; short, since an ended publisher's queue fills with every event until then.</summary>
    private static readonly TimeSpan ResultsQueueExpiry = TimeSpan.FromMinutes(1);

    public ChannelReader<ResultEvent> Results => _results.Reader;
    public ChannelReader<RetentionRunCompleted> RetentionRuns => _runs.Reader;

    /// <summary>Restore and reclaim events: <see cref="TagRestored"/>, <see cref="RestoreFailed"/>, <see cref="DigestReclaimed"/>, <see cref="ReclaimCompleted"/>.</summary>
    public ChannelReader<object> JournalEvents => _journalEvents.Reader;

    public static async Task<PublisherBus> ConnectAsync(BrokerAddress broker, bool listen, TimeSpan timeout, CancellationToken ct)
    {
        PublisherBus? self = null;
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            broker.Configure(cfg);
            if (listen)
            {
                cfg.ReceiveEndpoint(new TemporaryEndpointDefinition(), e =>
                {
                    // A temporary queue is deleted when the connection drops or the broker restarts, and with it every result
                    // published before the publisher is back. A durable one keeps them (the events are persistent); the
                    // broker removes it once no one has consumed from it for ResultsQueueExpiry.
                    e.Durable = true;
                    e.AutoDelete = false;
                    e.QueueExpiration = ResultsQueueExpiry;
                    e.Handler<DeletionSucceeded>(c => self!._results.Writer.WriteAsync(new ResultEvent(c.Message, null)).AsTask());
                    e.Handler<DeletionFailed>(c => self!._results.Writer.WriteAsync(new ResultEvent(null, c.Message)).AsTask());
                    e.Handler<RetentionRunCompleted>(c => self!._runs.Writer.WriteAsync(c.Message).AsTask());
                    e.Handler<TagRestored>(c => self!._journalEvents.Writer.WriteAsync(c.Message).AsTask());
                    e.Handler<RestoreFailed>(c => self!._journalEvents.Writer.WriteAsync(c.Message).AsTask());
                    e.Handler<DigestReclaimed>(c => self!._journalEvents.Writer.WriteAsync(c.Message).AsTask());
                    e.Handler<ReclaimCompleted>(c => self!._journalEvents.Writer.WriteAsync(c.Message).AsTask());
                });
            }
        });
        self = new PublisherBus(bus);
        using var startTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        startTimeout.CancelAfter(timeout);
        try
        {
            await bus.StartAsync(startTimeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or MassTransitException or RabbitMQ.Client.Exceptions.BrokerUnreachableException)
        {
            await bus.StopAsync(CancellationToken.None);
            throw new PublisherException($"Cannot reach the broker at {broker.Display} (set --broker or Transport__RabbitMq__Uri).", ExitCodes.TimeoutOrUsage);
        }
        return self;
    }

    /// <summary>
    /// Sends and waits for the broker's confirmation. A send not confirmed within <see cref="SendAttemptTimeout"/> is made
    /// again: across a broker restart a publish can wait for a confirmation that never comes. A command that arrives twice
    /// is harmless, since the worker answers the repeat of a delete <c>AlreadyAbsent</c> under the same RequestId.
    /// </summary>
    public async Task SendAsync<T>(string queue, T command, CancellationToken ct) where T : class
    {
        var endpoint = await _bus.GetSendEndpoint(QueueNames.Address(queue));
        await SendRetry.ExecuteAsync(async token =>
        {
            using var attemptToken = CancellationTokenSource.CreateLinkedTokenSource(token);
            attemptToken.CancelAfter(SendAttemptTimeout);
            // WaitAsync as well: an unconfirmed publish does not always give up when its token is cancelled.
            await endpoint.Send(command, attemptToken.Token).WaitAsync(SendAttemptTimeout, token);
        }, ct);
    }

    private static readonly TimeSpan SendAttemptTimeout = TimeSpan.FromSeconds(15);
    private const int SendAttempts = 8;

    private static readonly ResiliencePipeline SendRetry = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
    {
        ShouldHandle = args => ValueTask.FromResult(
            !args.Context.CancellationToken.IsCancellationRequested && args.Outcome.Exception is { } e && IsTransient(e)),
        MaxRetryAttempts = SendAttempts - 1,
        BackoffType = DelayBackoffType.Constant,
        Delay = TimeSpan.FromSeconds(1),
        UseJitter = false,
    }).Build();

    private static bool IsTransient(Exception e) => e is TimeoutException or OperationCanceledException or MassTransitException
        or RabbitMQ.Client.Exceptions.OperationInterruptedException or RabbitMQ.Client.Exceptions.AlreadyClosedException;

    public async Task<TResponse> RequestAsync<TRequest, TResponse>(string queue, TRequest request, TimeSpan timeout, CancellationToken ct)
        where TRequest : class where TResponse : class
    {
        var client = _bus.CreateRequestClient<TRequest>(QueueNames.Address(queue), RequestTimeout.After(ms: (int)timeout.TotalMilliseconds));
        try
        {
            return (await client.GetResponse<TResponse>(request, ct)).Message;
        }
        catch (RequestTimeoutException)
        {
            throw new PublisherException($"No worker answered within {timeout.TotalSeconds:F0} s: is one running against this broker?", ExitCodes.TimeoutOrUsage);
        }
    }

    public async ValueTask DisposeAsync() => await _bus.StopAsync(CancellationToken.None);
}
