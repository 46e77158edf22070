using Microsoft.Extensions.Configuration;
using RegistryCleaner.Worker.Configuration;
using RegistryCleaner.Worker.Retention.Scheduling;

namespace RegistryCleaner.Worker.Journal;

public enum JournalStore
{
    /// <summary>A SQLite file in the worker's data directory: nothing to install.</summary>
    Sqlite,

    /// <summary>PostgreSQL, shared by every worker (the database of the clustered schedule, by default).</summary>
    Postgres,

    /// <summary>This process's memory: lost when the worker stops (for <c>--sandbox</c> and trials).</summary>
    Memory,
}

/// <summary><c>Journal:*</c>: where the deletion journal is kept.</summary>
public sealed class JournalOptions
{
    public const string Section = "Journal";

    public JournalStore Store { get; set; } = JournalStore.Sqlite;
    public SqliteJournalOptions Sqlite { get; set; } = new();
    public PostgresJournalOptions Postgres { get; set; } = new();

    /// <summary>Where the SQLite journal goes when <c>Journal:Sqlite:Path</c> is not set: the user's local data directory.</summary>
    public static string DefaultSqlitePath
    {
        get
        {
            var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            return Path.Combine(string.IsNullOrEmpty(data) ? Path.Combine(AppContext.BaseDirectory, "data") : Path.Combine(data, "registry-cleaner"), "journal.db");
        }
    }

    /// <summary>Binds and checks the section now, so a bad value stops start-up with every error listed.</summary>
    public static JournalOptions Load(IConfiguration configuration)
    {
        var errors = new List<string>();
        var options = SectionBinding.Bind<JournalOptions, JournalStore>(configuration.GetSection(Section), nameof(Store), errors);
        if (errors.Count == 0 && options.Store == JournalStore.Postgres)
        {
            options.Postgres.ConnectionString ??= configuration[$"{SchedulingOptions.Section}:Postgres:ConnectionString"];
            var check = new PostgresSchedulingOptions { ConnectionString = options.Postgres.ConnectionString };
            errors.AddRange(check.Errors($"{Section}:Postgres").Where(e => e.Contains("ConnectionString", StringComparison.Ordinal))
                .Select(e => e.Replace("when Scheduling:Store is Postgres", "when Journal:Store is Postgres (or Scheduling:Postgres:ConnectionString)", StringComparison.Ordinal)));
        }
        if (errors.Count == 0 && options.Store == JournalStore.Sqlite && string.IsNullOrWhiteSpace(options.Sqlite.Path))
            options.Sqlite.Path = DefaultSqlitePath;
        return SectionBinding.Checked(options, Section, errors);
    }
}

public sealed class SqliteJournalOptions
{
    public string? Path { get; set; }
}

/// <summary>The connection string holds a password: it never appears in a message.</summary>
public sealed class PostgresJournalOptions
{
    public string? ConnectionString { get; set; }
    public bool CreateSchema { get; set; } = true;
}
