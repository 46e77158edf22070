using System.Collections.Concurrent;
using System.Globalization;
using MassTransit;
using RegistryCleaner.Common.Messaging;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Retention.Scheduling;

namespace RegistryCleaner.Integration.Tests;

/// <summary>
/// Sends commands and listens to every result event, as any observer on the broker would, noting which worker process
/// published each one (MassTransit's envelope names the sending host and process).
/// </summary>
public sealed class ScaleOutObserver : IAsyncDisposable
{
    private readonly IBusControl _bus;
    private readonly ConcurrentDictionary<Guid, ConcurrentQueue<Result>> _results = new();
    private readonly ConcurrentQueue<RetentionRunCompleted> _runs = new();
    private readonly ConcurrentQueue<ScheduledRun> _scheduled = new();

    private ScaleOutObserver(IBusControl bus) => _bus = bus;

    public sealed record Result(bool Succeeded, int? ProcessId, string? Detail);

    /// <summary>A RunRetentionPolicy command that a schedule sent, with the fire time the worker stamped on it.</summary>
    public sealed record ScheduledRun(Guid RunId, string Policy, DateTimeOffset? FireTime);

    public IReadOnlyCollection<RetentionRunCompleted> Runs => _runs;

    public IReadOnlyCollection<ScheduledRun> Scheduled => _scheduled;

    /// <param name="copyRetentionCommands">Also receives a copy of every RunRetentionPolicy command sent to the workers' queue.</param>
    public static async Task<ScaleOutObserver> StartAsync(string brokerUri, bool copyRetentionCommands = false)
    {
        ScaleOutObserver? self = null;
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            BrokerAddress.Parse(brokerUri, "broker").Configure(cfg);
            cfg.ReceiveEndpoint(new TemporaryEndpointDefinition(), e =>
            {
                e.PrefetchCount = 512;
                e.Handler<DeletionSucceeded>(c => self!.Add(c.Message.RequestId, new Result(true, c.Host?.ProcessId, null)));
                e.Handler<DeletionFailed>(c => self!.Add(c.Message.RequestId, new Result(false, c.Host?.ProcessId, c.Message.Detail)));
                e.Handler<RetentionRunCompleted>(c =>
                {
                    self!._runs.Enqueue(c.Message);
                    return Task.CompletedTask;
                });
                if (!copyRetentionCommands)
                    return;
                e.Bind(QueueNames.RunRetentionPolicy);
                e.Handler<RunRetentionPolicy>(c =>
                {
                    var fireTime = c.Headers.Get<string>(SchedulingFireTime.Header) is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture) : (DateTimeOffset?)null;
                    self!._scheduled.Enqueue(new ScheduledRun(c.Message.RunId, c.Message.Policy, fireTime));
                    return Task.CompletedTask;
                });
            });
        });
        self = new ScaleOutObserver(bus);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await bus.StartAsync(timeout.Token);
        return self;
    }

    public async Task SendAsync<T>(string queue, IReadOnlyList<T> commands) where T : class
    {
        var endpoint = await _bus.GetSendEndpoint(QueueNames.Address(queue));
        foreach (var chunk in commands.Chunk(250))
            await Task.WhenAll(chunk.Select(c => endpoint.Send(c)));
    }

    public IReadOnlyList<Result> ResultsOf(Guid requestId) => _results.TryGetValue(requestId, out var results) ? results.ToList() : [];

    public int Succeeded(IEnumerable<Guid> requestIds) => requestIds.Count(id => ResultsOf(id).Any(r => r.Succeeded));

    public List<Result> Failures(IEnumerable<Guid> requestIds) => requestIds.SelectMany(ResultsOf).Where(r => !r.Succeeded).ToList();

    /// <summary>Distinct requests whose success event came from each worker process.</summary>
    public Dictionary<int, int> SucceededByProcess(IEnumerable<Guid> requestIds) =>
        requestIds.SelectMany(id => ResultsOf(id).Where(r => r.Succeeded && r.ProcessId is not null).Select(r => (id, pid: r.ProcessId!.Value)).Distinct())
            .GroupBy(x => x.pid)
            .ToDictionary(g => g.Key, g => g.Count());

    private Task Add(Guid requestId, Result result)
    {
        _results.GetOrAdd(requestId, _ => new ConcurrentQueue<Result>()).Enqueue(result);
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _bus.StopAsync(CancellationToken.None);
}
