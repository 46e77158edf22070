using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using RegistryCleaner.Worker.Registries.Resilience;
using RegistryCleaner.Worker.Retention.Scheduling;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Resilience;

/// <summary>Bad scale-out settings stop the worker at start-up with the key to fix, and never echo a secret.</summary>
public sealed class ScaleOutConfigurationSpecs
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(-5.0)]
    [InlineData(double.NaN)]
    [InlineData(20_000.0)]
    public void A_request_rate_outside_its_range_names_the_key(double rate)
    {
        var errors = RegistryLimits.Errors("Registries:hub", rate, new OutageOptions()).ToList();

        Assert.Contains(errors, e => e.StartsWith("Registries:hub:RequestsPerSecond", StringComparison.Ordinal));
    }

    [Fact]
    public void An_outage_hold_past_rabbitmqs_consumer_timeout_is_refused()
    {
        var outage = new OutageOptions { MaxHold = TimeSpan.FromMinutes(40), MinimumThroughput = 1 };

        var errors = RegistryLimits.Errors("Registries:hub", null, outage).ToList();

        Assert.Contains(errors, e => e.StartsWith("Registries:hub:Outage:MaxHold", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Registries:hub:Outage:MinimumThroughput", StringComparison.Ordinal));
    }

    [Fact]
    public void The_default_limits_are_valid() => Assert.Empty(RegistryLimits.Errors("Registries:hub", 25, new OutageOptions()));

    [Fact]
    public void A_postgres_store_without_a_connection_string_names_the_key()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Load(new() { ["Scheduling:Store"] = "Postgres" }));

        Assert.Contains(error.Failures, f => f.StartsWith("Scheduling:Postgres:ConnectionString is required", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_store_lists_the_known_ones()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Load(new() { ["Scheduling:Store"] = "Redis" }));

        Assert.Contains(error.Failures, f => f.Contains("Memory, Postgres", StringComparison.Ordinal));
    }

    [Fact]
    public void A_broken_connection_string_is_reported_without_its_password()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Load(new()
        {
            ["Scheduling:Store"] = "postgres",
            ["Scheduling:Postgres:ConnectionString"] = "Password=hunter2-secret;Frobnicate=yes",
        }));

        Assert.Contains(error.Failures, f => f.StartsWith("Scheduling:Postgres:ConnectionString is not a valid", StringComparison.Ordinal));
        Assert.DoesNotContain(error.Failures, f => f.Contains("hunter2", StringComparison.Ordinal));
    }

    [Fact]
    public void Memory_is_the_default_store_and_needs_nothing_else() => Assert.Equal(SchedulingStore.Memory, Load([]).Store);

    private static SchedulingOptions Load(Dictionary<string, string?> values) =>
        SchedulingOptions.Load(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
}
