using System.Threading.Channels;
using MassTransit;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Hosting;

namespace RegistryCleaner.Publisher.Messaging;

/// <summary>
/// A RabbitMQ connection that sends commands to the worker's durable queues and, when asked, listens to result
/// events on a temporary queue that is bound before anything is sent, so no result can be missed.
/// </summary>
public sealed class PublisherBus : IAsyncDisposable
{
    private readonly IBusControl _bus;
    private readonly Channel<ResultEvent> _results = Channel.CreateUnbounded<ResultEvent>();
    private readonly Channel<RetentionRunCompleted> _runs = Channel.CreateUnbounded<RetentionRunCompleted>();

    private PublisherBus(IBusControl bus) => _bus = bus;

    public ChannelReader<ResultEvent> Results => _results.Reader;
    public ChannelReader<RetentionRunCompleted> RetentionRuns => _runs.Reader;

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
                    e.Handler<DeletionSucceeded>(c => self!._results.Writer.WriteAsync(new ResultEvent(c.Message, null)).AsTask());
                    e.Handler<DeletionFailed>(c => self!._results.Writer.WriteAsync(new ResultEvent(null, c.Message)).AsTask());
                    e.Handler<RetentionRunCompleted>(c => self!._runs.Writer.WriteAsync(c.Message).AsTask());
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

    public async Task SendAsync<T>(string queue, T command, CancellationToken ct) where T : class
    {
        var endpoint = await _bus.GetSendEndpoint(QueueNames.Address(queue));
        await endpoint.Send(command, ct);
    }

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
