using Microsoft.Extensions.Configuration;
using RegistryCleaner.Worker.Configuration;
using Npgsql;

namespace RegistryCleaner.Worker.Retention.Scheduling;

public enum SchedulingStore
{
    /// <summary>Each worker keeps its own schedule in memory: run one worker with schedules, or each fire runs once per worker.</summary>
    Memory,

    /// <summary>Quartz's clustered job store in PostgreSQL: however many workers run, each fire time runs once.</summary>
    Postgres,
}

/// <summary><c>Scheduling:*</c>: where Quartz keeps the retention schedules.</summary>
public sealed class SchedulingOptions
{
    public const string Section = "Scheduling";

    public SchedulingStore Store { get; set; } = SchedulingStore.Memory;
    public PostgresSchedulingOptions Postgres { get; set; } = new();

    /// <summary>Binds and checks the section now, so a bad value stops start-up with every error listed.</summary>
    public static SchedulingOptions Load(IConfiguration configuration)
    {
        var errors = new List<string>();
        var options = SectionBinding.Bind<SchedulingOptions, SchedulingStore>(configuration.GetSection(Section), nameof(Store), errors);
        if (errors.Count == 0 && options.Store == SchedulingStore.Postgres)
            errors.AddRange(options.Postgres.Errors($"{Section}:{nameof(Postgres)}"));
        return SectionBinding.Checked(options, Section, errors);
    }
}

/// <summary><c>Scheduling:Postgres:*</c>. The connection string holds a password: it never appears in a message.</summary>
public sealed class PostgresSchedulingOptions
{
    public string? ConnectionString { get; set; }

    /// <summary>Has Quartz create its missing tables at start; off where the database user may not (apply <c>quartz-postgres.sql</c> by hand).</summary>
    public bool CreateSchema { get; set; } = true;

    /// <summary>How often each worker records in the database that it is alive.</summary>
    public TimeSpan CheckinInterval { get; set; } = TimeSpan.FromSeconds(7.5);

    /// <summary>How long past a missed check-in the other workers wait before taking over a dead worker's schedules.</summary>
    public TimeSpan CheckinMisfireThreshold { get; set; } = TimeSpan.FromSeconds(7.5);

    public IEnumerable<string> Errors(string key)
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
            yield return $"{key}:ConnectionString is required when Scheduling:Store is Postgres, e.g. Host=db;Database=registry_cleaner;Username=worker;Password=...";
        else if (!IsValid(ConnectionString))
            yield return $"{key}:ConnectionString is not a valid PostgreSQL connection string (its value is not shown: it may hold a password).";
        if (CheckinInterval < TimeSpan.FromMilliseconds(500) || CheckinInterval > TimeSpan.FromMinutes(5))
            yield return $"{key}:CheckinInterval must be between 0.5 seconds and 5 minutes.";
        if (CheckinMisfireThreshold < TimeSpan.FromMilliseconds(500) || CheckinMisfireThreshold > TimeSpan.FromMinutes(10))
            yield return $"{key}:CheckinMisfireThreshold must be between 0.5 seconds and 10 minutes.";
    }

    private static bool IsValid(string connectionString)
    {
        try
        {
            return !string.IsNullOrEmpty(new NpgsqlConnectionStringBuilder(connectionString).Host);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            return false;
        }
    }
}
