using System.Collections.Concurrent;
using RegistryCleaner.Common.Messaging;
using RegistryCleaner.Contracts;
using RegistryCleaner.Publisher.History;
using RegistryCleaner.Publisher.Messaging;
namespace RegistryCleaner.Integration.Tests.Support;

/// <summary>Sends restore and reclaim commands as the Publisher does, collects their events, and reads the journal over the bus.</summary>
public sealed class JournalObserver : IAsyncDisposable
{
    private readonly PublisherBus _bus;
    private readonly ConcurrentQueue<object> _events = new();
    private readonly ResultBook _results = new();

    private JournalObserver(PublisherBus bus)
    {
        _bus = bus;
        _ = Task.Run(async () =>
        {
            await foreach (var e in bus.JournalEvents.ReadAllAsync())
                _events.Enqueue(e);
        });
        _ = Task.Run(async () =>
        {
            await foreach (var result in bus.Results.ReadAllAsync())
                _results.Add(result);
        });
    }

    public static async Task<JournalObserver> ConnectAsync(string brokerUri) =>
        new(await PublisherBus.ConnectAsync(BrokerAddress.Parse(brokerUri, "RC_TEST_RABBITMQ_URI"), listen: true, TimeSpan.FromSeconds(30), CancellationToken.None));

    public Task SendAsync<T>(string queue, T command) where T : class => _bus.SendAsync(queue, command, CancellationToken.None);

    public Task<ResultEvent> ResultAsync(Guid requestId) => _results.WaitAsync(requestId, TimeSpan.FromSeconds(60));

    /// <summary>Deletes a tag through the worker and returns its success event.</summary>
    public async Task<DeletionSucceeded> DeleteAsync(string registry, string repository, string tag)
    {
        var command = new DeleteTag { RequestId = Guid.NewGuid(), Registry = registry, Repository = repository, Tag = tag, Reason = "integration test", RequestedBy = "tests" };
        await SendAsync(QueueNames.DeleteTag, command);
        var result = await ResultAsync(command.RequestId);
        return result.Succeeded ?? throw new Xunit.Sdk.XunitException($"Deleting {repository}:{tag} failed: {result.Failed!.Failure} {result.Failed.Detail}");
    }

    /// <summary>The first event of type <typeparamref name="T"/> that matches, waiting for it with a bound.</summary>
    public Task<T> EventAsync<T>(Func<T, bool> match, TimeSpan? timeout = null) where T : class =>
        Eventually.FoundAsync(() => _events.OfType<T>().FirstOrDefault(match), timeout ?? TimeSpan.FromSeconds(60));

    public IReadOnlyList<T> Events<T>() => _events.OfType<T>().ToList();

    /// <summary>Restores one tag and returns its single result event (TagRestored or RestoreFailed).</summary>
    public async Task<object> RestoreAsync(RestoreTag command)
    {
        await SendAsync(QueueNames.RestoreTag, command);
        return await EventAsync<object>(e => e is TagRestored r && r.RequestId == command.RequestId || e is RestoreFailed f && f.RequestId == command.RequestId);
    }

    public async Task<List<JournalRecord>> HistoryAsync(QueryJournal query)
    {
        var entries = new List<JournalRecord>();
        await foreach (var entry in JournalReader.ReadAsync(_bus, query, CancellationToken.None))
            entries.Add(entry);
        return entries;
    }

    public ValueTask DisposeAsync() => _bus.DisposeAsync();
}
