using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using RegistryCleaner.Worker.Journal;
using RegistryCleaner.Worker.Reclaim;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Journal;

public sealed class ReclaimOptionsSpecs
{
    private static IConfiguration Config(params (string, string?)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Item1, v.Item2))).Build();

    [Fact]
    public void Defaults_are_a_day_of_grace_and_an_hourly_schedule()
    {
        var options = ReclaimOptions.Load(Config());
        Assert.Equal((TimeSpan.FromHours(24), "0 0 * * * ?"), (options.After, options.Schedule));
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("12h", 12 * 60)]
    [InlineData("7d", 7 * 24 * 60)]
    public void The_grace_window_reads_durations_as_retention_does(string text, int minutes) =>
        Assert.Equal(TimeSpan.FromMinutes(minutes), ReclaimOptions.Load(Config(("Reclaim:After", text))).After);

    [Fact]
    public void Off_runs_reclaim_only_on_demand() => Assert.Null(ReclaimOptions.Load(Config(("Reclaim:Schedule", "off"))).Schedule);

    [Theory]
    [InlineData("Reclaim:After", "-1d", "Reclaim:After")]
    [InlineData("Reclaim:After", "999999d", "Reclaim:After")]
    [InlineData("Reclaim:Schedule", "every hour", "Reclaim:Schedule")]
    public void Bad_values_stop_start_up_naming_the_key(string key, string value, string named)
    {
        var error = Assert.Throws<OptionsValidationException>(() => ReclaimOptions.Load(Config((key, value))));
        Assert.Contains(named, error.Message);
    }

    [Theory]
    [InlineData("Journal:Store", "Mongo", "Journal:Store must be one of Sqlite, Postgres, Memory")]
    [InlineData("Journal:Store", "Postgres", "ConnectionString is required")]
    public void Bad_journal_settings_stop_start_up_naming_the_key(string key, string value, string named)
    {
        var error = Assert.Throws<OptionsValidationException>(() => JournalOptions.Load(Config((key, value))));
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void A_postgres_journal_falls_back_to_the_scheduling_connection_string_and_never_shows_it()
    {
        var options = JournalOptions.Load(Config(("Journal:Store", "Postgres"), ("Scheduling:Postgres:ConnectionString", "Host=db;Password=s3cret")));
        Assert.Equal("Host=db;Password=s3cret", options.Postgres.ConnectionString);
        var error = Assert.Throws<OptionsValidationException>(() => JournalOptions.Load(Config(("Journal:Store", "Postgres"), ("Journal:Postgres:ConnectionString", "Password=s3cret;;=="))));
        Assert.DoesNotContain("s3cret", error.Message);
    }
}
