using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace RegistryCleaner.Worker.Journal;

/// <summary>
/// The journal in a SQLite file (<c>Journal:Store=Sqlite</c>, the default): nothing to install, one file per worker.
/// Write-ahead logging keeps readers and the writer apart; writes of this process go one at a time.
/// </summary>
public sealed class SqliteJournalStore(string path) : SqlJournalStore, IDisposable
{
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly string _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();

    public string Path => path;

    protected override async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000;";
        await pragma.ExecuteNonQueryAsync(ct);
        return connection;
    }

    protected override async Task<T> WriteAsync<T>(Func<DbConnection, Task<T>> write, CancellationToken ct)
    {
        await _writer.WaitAsync(ct);
        try
        {
            return await base.WriteAsync(write, ct);
        }
        finally
        {
            _writer.Release();
        }
    }

    public override async Task InitializeAsync(CancellationToken ct)
    {
        if (System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) is { } directory)
            Directory.CreateDirectory(directory);
        await using var connection = await OpenAsync(ct);
        await using var command = connection.CreateCommand();
        // The PostgreSQL schema, with SQLite's own auto-increment key.
        command.CommandText = "PRAGMA journal_mode = WAL;\n" + PostgresJournalStore.Schema.Replace(
            "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", "INTEGER PRIMARY KEY AUTOINCREMENT", StringComparison.Ordinal);
        await command.ExecuteNonQueryAsync(ct);
    }

    public void Dispose() => _writer.Dispose();
}
