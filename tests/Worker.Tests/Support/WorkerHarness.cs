using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Registries.Http;
using RegistryCleaner.Worker.Retention.Scheduling;

namespace RegistryCleaner.Worker.Tests.Support;

/// <summary>The worker's consumers on MassTransit's test harness; registry "oci" is answered by a <see cref="ScriptedRegistry"/> when one is given.</summary>
public sealed class WorkerHarness : IAsyncDisposable
{
    public const string Registry = "oci";
    public const string Endpoint = "http://127.0.0.1:5999";

    private readonly ServiceProvider _provider;

    public WorkerHarness(ScriptedRegistry? registry, IDictionary<string, string?>? settings = null, Worker.Journal.IJournalStore? journal = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Registries:oci:Kind"] = "Oci",
            ["Registries:oci:Endpoint"] = Endpoint,
            ["Retry:MaxAttempts"] = "3",
            ["Retry:BaseDelay"] = "00:00:00.010",
            ["Retry:MaxDelay"] = "00:00:00.050",
            ["Retry:AttemptTimeout"] = "00:00:01",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();

        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddRegistries(configuration);
        services.AddScheduling(configuration, startScheduler: false);
        if (journal is not null)
            services.AddSingleton(journal);
        services.AddMessaging(configuration);
        if (registry is not null)
        {
            services.Configure<HttpClientFactoryOptions>(RegistryHttp.ClientName(Registry),
                o => o.HttpMessageHandlerBuilderActions.Add(b => b.PrimaryHandler = registry));
        }
        services.AddMassTransitTestHarness(x => x.AddDeletionConsumers());
        _provider = services.BuildServiceProvider(true);
        Harness = _provider.GetRequiredService<ITestHarness>();
        Harness.TestTimeout = Bound;
        Harness.Bus.ConnectReceiveObserver(_received);
    }

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private readonly ReceivedCommands _received = new();

    public ITestHarness Harness { get; }

    public Worker.Journal.IJournalStore Journal => _provider.GetRequiredService<Worker.Journal.IJournalStore>();

    public async Task StartAsync() => await Harness.Start();

    public async Task SendAsync<T>(string queue, T command) where T : class
    {
        var endpoint = await Harness.Bus.GetSendEndpoint(QueueNames.Address(queue));
        var messageId = NewId.NextGuid();
        _received.Expect(messageId);
        await endpoint.Send(command, c => c.MessageId = messageId);
    }

    /// <summary>
    /// The single result event for a request; fails when none arrives or more than one does. A second event could only
    /// come from the same delivery of the command, so the count is taken once that delivery has been handled to its end.
    /// </summary>
    public async Task<object> ResultAsync(Guid requestId)
    {
        await Eventually.TrueAsync(() => Results(requestId).Count > 0, Bound, () => $"no result event for request {requestId}");
        await _received.AllHandledAsync(Bound);
        return Single(requestId);
    }

    /// <summary>The single result event of each request, in order; fails when one is missing or doubled.</summary>
    public async Task<List<object>> ResultsAsync(IReadOnlyCollection<Guid> requestIds, TimeSpan timeout)
    {
        await Eventually.TrueAsync(() => requestIds.All(id => Results(id).Count > 0), timeout,
            () => $"not every one of {requestIds.Count} requests ended");
        await _received.AllHandledAsync(timeout);
        return requestIds.Select(Single).ToList();
    }

    public async Task<RetentionRunCompleted> RunReportAsync(Guid runId) =>
        await EventAsync<RetentionRunCompleted>(m => m.RunId == runId);

    public async Task<DeletionSucceeded> ResultForRunAsync(Guid runId, string tag) =>
        await EventAsync<DeletionSucceeded>(m => m.RunId == runId && m.Tag == tag);

    /// <summary>The first published <typeparamref name="T"/> that matches, once the command that led to it was handled to its end.</summary>
    public async Task<T> EventAsync<T>(Func<T, bool> match) where T : class
    {
        var found = await Eventually.FoundAsync(() => Harness.Published.Select<T>().Select(m => m.Context.Message).FirstOrDefault(match), Bound);
        await _received.AllHandledAsync(Bound);
        return found;
    }

    private object Single(Guid requestId)
    {
        var results = Results(requestId);
        return results.Count == 1 ? results[0] : throw new InvalidOperationException($"Expected one result event for {requestId}, got {results.Count}.");
    }

    public List<object> Results(Guid requestId) =>
        Harness.Published.Select<DeletionSucceeded>().Where(m => m.Context.Message.RequestId == requestId).Select(m => (object)m.Context.Message)
            .Concat(Harness.Published.Select<DeletionFailed>().Where(m => m.Context.Message.RequestId == requestId).Select(m => (object)m.Context.Message))
            .ToList();

    public bool KeptInErrorQueue(Guid requestId) =>
        Harness.Sent.Select<DeleteTag>().Any(m => m.Context.Message.RequestId == requestId && m.Context.DestinationAddress!.AbsolutePath.EndsWith("delete-tag_error"));

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await _provider.DisposeAsync();
    }
}
