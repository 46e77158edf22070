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
        Harness.TestTimeout = TimeSpan.FromSeconds(20);
    }

    public ITestHarness Harness { get; }

    public Worker.Journal.IJournalStore Journal => _provider.GetRequiredService<Worker.Journal.IJournalStore>();

    public async Task StartAsync() => await Harness.Start();

    public async Task SendAsync<T>(string queue, T command) where T : class
    {
        var endpoint = await Harness.Bus.GetSendEndpoint(QueueNames.Address(queue));
        await endpoint.Send(command);
    }

    /// <summary>The single result event for a request; fails when none arrives or more than one does.</summary>
    public async Task<object> ResultAsync(Guid requestId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var results = Results(requestId);
            if (results.Count > 0)
            {
                await Task.Delay(100); // a second event for the same request would be a defect: give it time to show
                results = Results(requestId);
                if (results.Count != 1)
                    throw new InvalidOperationException($"Expected one result event for {requestId}, got {results.Count}.");
                return results[0];
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"No result event for request {requestId}.");
    }

    /// <summary>The single result event of each request, in order; fails when one is missing or doubled.</summary>
    public async Task<List<object>> ResultsAsync(IReadOnlyCollection<Guid> requestIds, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var wanted = requestIds.ToHashSet();
        while (DateTime.UtcNow < deadline)
        {
            var seen = Harness.Published.Select<DeletionSucceeded>().Select(m => m.Context.Message.RequestId)
                .Concat(Harness.Published.Select<DeletionFailed>().Select(m => m.Context.Message.RequestId)).ToHashSet();
            if (wanted.IsSubsetOf(seen))
            {
                await Task.Delay(200);
                return requestIds.Select(id =>
                {
                    var results = Results(id);
                    return results.Count == 1 ? results[0] : throw new InvalidOperationException($"Expected one result event for {id}, got {results.Count}.");
                }).ToList();
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"Not every one of {requestIds.Count} requests ended within {timeout.TotalSeconds} s.");
    }

    public async Task<RetentionRunCompleted> RunReportAsync(Guid runId) =>
        await Eventually(() => Harness.Published.Select<RetentionRunCompleted>().Select(m => m.Context.Message).FirstOrDefault(m => m.RunId == runId));

    public async Task<DeletionSucceeded> ResultForRunAsync(Guid runId, string tag) =>
        await Eventually(() => Harness.Published.Select<DeletionSucceeded>().Select(m => m.Context.Message).FirstOrDefault(m => m.RunId == runId && m.Tag == tag));

    private static async Task<T> Eventually<T>(Func<T?> probe) where T : class
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (probe() is { } found)
                return found;
            await Task.Delay(20);
        }
        throw new TimeoutException($"No {typeof(T).Name} arrived.");
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
