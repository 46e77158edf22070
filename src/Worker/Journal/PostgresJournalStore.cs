using System.Data.Common;
using Npgsql;

namespace RegistryCleaner.Worker.Journal;

/// <summary>The journal in PostgreSQL (<c>Journal:Store=Postgres</c>), shared by every worker that uses the same database.</summary>
public sealed class PostgresJournalStore(NpgsqlDataSource dataSource, bool createSchema) : SqlJournalStore, IDisposable
{
    /// <summary>Any fixed number: workers starting at once take this lock in turn, so that none sees a table half created.</summary>
    private const long SchemaLock = 0x7263_6a6f_7572_6e;

    public static string Schema { get; } = ReadSchema();

    protected override async Task<DbConnection> OpenAsync(CancellationToken ct) => await dataSource.OpenConnectionAsync(ct);

    public override async Task InitializeAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (!createSchema)
            return;
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var command = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({SchemaLock})", connection, transaction))
            await command.ExecuteNonQueryAsync(ct);
        await using (var command = new NpgsqlCommand(Schema, connection, transaction))
            await command.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
    }

    public void Dispose() => dataSource.Dispose();

    private static string ReadSchema()
    {
        using var stream = typeof(PostgresJournalStore).Assembly.GetManifestResourceStream("RegistryCleaner.Worker.Journal.journal-postgres.sql")
            ?? throw new InvalidOperationException("The journal's PostgreSQL schema is missing from the worker assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
