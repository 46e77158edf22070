using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
namespace RegistryCleaner.Worker.Journal;

public static class JournalServices
{
    /// <summary>The journal store that <c>Journal:Store</c> names, with its schema created (or checked) before the bus starts.</summary>
    public static IServiceCollection AddJournalStore(this IServiceCollection services, IConfiguration configuration)
    {
        var options = JournalOptions.Load(configuration);
        services.AddSingleton(options);
        services.AddSingleton<IJournalStore>(_ => options.Store switch
        {
            JournalStore.Postgres => new PostgresJournalStore(NpgsqlDataSource.Create(options.Postgres.ConnectionString!), options.Postgres.CreateSchema),
            JournalStore.Memory => new MemoryJournalStore(),
            _ => new SqliteJournalStore(options.Sqlite.Path!),
        });
        services.AddHostedService<JournalStartup>();
        return services;
    }

    /// <summary>
    /// For hosts that never called <see cref="AddJournalStore"/> (the test harnesses): a journal in memory. The worker's own
    /// host always calls it first, so this never replaces a configured store.
    /// </summary>
    public static void TryAddMemoryJournal(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<IJournalStore, MemoryJournalStore>();
        services.TryAddSingleton<DeletionJournal>();
    }
}

/// <summary>Opens the journal at start: a database that cannot be reached or a schema that cannot be created stops the worker, saying which.</summary>
public sealed class JournalStartup(IJournalStore store, JournalOptions options, ILogger<JournalStartup> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.InitializeAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            // The exception text of Npgsql names host and database at most, never the password; it is not echoed anyway.
            throw new InvalidOperationException($"The deletion journal ({options.Store}{Where()}) cannot be opened: {e.GetType().Name}. "
                + $"Check {JournalOptions.Section}:{options.Store} settings; with Postgres, the database must be reachable and the user allowed to create tables "
                + "(or apply journal-postgres.sql by hand and set Journal:Postgres:CreateSchema=false).", e);
        }
        log.LogInformation("Deletion journal: {Store}{Where}", options.Store, Where());
    }

    private string Where() => options.Store == JournalStore.Sqlite ? $" at {options.Sqlite.Path}" : "";

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
