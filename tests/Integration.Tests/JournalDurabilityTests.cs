using Npgsql;
using RegistryCleaner.Contracts;
using RegistryCleaner.Integration.Tests.Support;
using RegistryCleaner.Worker.Journal;

namespace RegistryCleaner.Integration.Tests;

/// <summary>The journal outlives the worker (SQLite, PostgreSQL); two workers sharing PostgreSQL neither lose an entry nor reclaim a digest twice.</summary>
public sealed class JournalDurabilityTests : IAsyncLifetime
{
    private BatchVirtualHost _vhost = null!;
    private readonly OciImages _images = new(TestServices.OciRegistry);

    public async Task InitializeAsync() => _vhost = await BatchVirtualHost.CreateAsync("journal");

    public async Task DisposeAsync()
    {
        _images.Dispose();
        await _vhost.DeleteAsync();
    }

    private static Dictionary<string, string?> Settings(params (string Key, string? Value)[] journal)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Registries:oci:Kind"] = "Oci",
            ["Registries:oci:Endpoint"] = TestServices.OciRegistry.ToString(),
        };
        foreach (var (key, value) in journal)
            settings[key] = value;
        return settings;
    }

    [Fact]
    public async Task The_SQLite_journal_survives_a_worker_restart_and_the_tag_can_still_be_restored()
    {
        var directory = Directory.CreateTempSubdirectory("journal-restart").FullName;
        try
        {
            var settings = Settings(("Journal:Store", "Sqlite"), ("Journal:Sqlite:Path", Path.Combine(directory, "data", "journal.db")));
            await SurvivesRestartAsync(settings);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task The_PostgreSQL_journal_survives_a_worker_restart_with_the_scheduling_connection_string()
    {
        await using var database = await ScaleOutDatabase.CreateAsync();
        await SurvivesRestartAsync(Settings(("Journal:Store", "Postgres"), ("Scheduling:Postgres:ConnectionString", database.ConnectionString)));
    }

    private async Task SurvivesRestartAsync(Dictionary<string, string?> settings)
    {
        var repository = TestServices.UniqueRepository("restart");
        var image = await _images.ImageAsync(repository, [await _images.LayerAsync(repository, 200)], "one", "v1");
        await using var observer = await JournalObserver.ConnectAsync(_vhost.RabbitMqUri);

        DeletionSucceeded deleted;
        await using (await ReclaimHost.StartAsync(_vhost.RabbitMqUri, settings))
            deleted = await observer.DeleteAsync("oci", repository, "v1");
        await using var restarted = await ReclaimHost.StartAsync(_vhost.RabbitMqUri, settings);

        var entry = Assert.Single(await observer.HistoryAsync(new QueryJournal { Request = deleted.RequestId }));
        Assert.Equal((JournalOutcome.Deleted, image.Digest, "tests"), (entry.Outcome, entry.Digest, entry.RequestedBy));
        var restored = Assert.IsType<TagRestored>(await observer.RestoreAsync(new RestoreTag { RequestId = Guid.NewGuid(), Registry = "oci", Repository = repository, Tag = "v1" }));
        Assert.Equal(image.Digest, restored.Digest);
    }

    [Fact]
    public async Task Two_workers_on_PostgreSQL_lose_no_entry_and_reclaim_every_digest_exactly_once()
    {
        const int count = 30;
        await using var database = await ScaleOutDatabase.CreateAsync();
        var settings = Settings(("Journal:Store", "Postgres"), ("Journal:Postgres:ConnectionString", database.ConnectionString));
        var repository = TestServices.UniqueRepository("two-workers");
        var digests = new List<string>();
        for (var i = 0; i < count; i++)
            digests.Add((await _images.ImageAsync(repository, [await _images.LayerAsync(repository, 100)], $"image-{i}", $"v{i}")).Digest);
        await using var first = await ReclaimHost.StartAsync(_vhost.RabbitMqUri, settings);
        await using var second = await ReclaimHost.StartAsync(_vhost.RabbitMqUri, settings);
        await using var observer = await JournalObserver.ConnectAsync(_vhost.RabbitMqUri);

        await Task.WhenAll(Enumerable.Range(0, count).Select(i => observer.DeleteAsync("oci", repository, $"v{i}")));
        var deletions = await observer.HistoryAsync(new QueryJournal { Repository = repository });
        Assert.Equal(digests.Order(), deletions.Where(e => e.Outcome == JournalOutcome.Deleted).Select(e => e.Digest!).Order());

        var runs = await Task.WhenAll(observer.ReclaimAsync("oci"), observer.ReclaimAsync("oci"));

        Assert.All(runs, r => Assert.True(r.Succeeded, r.Detail));
        Assert.Equal(count, runs.Sum(r => r.Reclaimed));
        var reclaimed = observer.Events<DigestReclaimed>().Where(e => runs.Any(r => r.RunId == e.RunId)).Select(e => e.Digest).ToList();
        Assert.Equal(digests.Order(), reclaimed.Order());
        var journaled = (await observer.HistoryAsync(new QueryJournal { Repository = repository })).Where(e => e.Action == JournalAction.ReclaimDigest).ToList();
        Assert.Equal(digests.Order(), journaled.Where(e => e.Outcome == JournalOutcome.Reclaimed).Select(e => e.Digest!).Order());
    }

    [Fact]
    public async Task Workers_racing_for_one_digest_on_PostgreSQL_let_exactly_one_claim_it()
    {
        await using var database = await ScaleOutDatabase.CreateAsync();
        var stores = Enumerable.Range(0, 4).Select(_ => new PostgresJournalStore(NpgsqlDataSource.Create(database.ConnectionString), createSchema: true)).ToList();
        try
        {
            await Task.WhenAll(stores.Select(s => s.InitializeAsync(CancellationToken.None)));
            var now = DateTimeOffset.UtcNow;
            for (var round = 0; round < 20; round++)
            {
                var digest = $"sha256:{round:D64}";
                var claims = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
                    stores[i % stores.Count].TryClaimAsync("oci", "team/app", digest, $"worker-{i}", now, TimeSpan.FromMinutes(5), CancellationToken.None)));
                Assert.Equal(1, claims.Count(c => c));
            }
        }
        finally
        {
            stores.ForEach(s => s.Dispose());
        }
    }
}
