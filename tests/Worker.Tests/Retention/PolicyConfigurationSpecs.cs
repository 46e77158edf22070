using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using RegistryCleaner.Common.Validation;
using RegistryCleaner.Worker.Retention;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Retention;

public sealed class PolicyConfigurationSpecs
{
    [Theory]
    [InlineData("Retention:Policies:nightly:Tags:Include:0", "(unclosed", "Retention:Policies:nightly:Tags:Include:0")]
    [InlineData("Retention:Policies:nightly:Protect:0", "[z-a]", "Retention:Policies:nightly:Protect:0")]
    [InlineData("Retention:Policies:nightly:Schedule", "every night", "Retention:Policies:nightly:Schedule")]
    [InlineData("Retention:Policies:nightly:TimeZone", "Mars/Olympus", "Retention:Policies:nightly:TimeZone")]
    [InlineData("Retention:Policies:nightly:DeleteOlderThan", "999999999999d", "Retention:Policies:nightly:DeleteOlderThan")]
    [InlineData("Retention:Policies:nightly:DeleteOlderThan", "999999d", "Retention:Policies:nightly:DeleteOlderThan")]
    [InlineData("Retention:Policies:nightly:DeleteOlderThan", "-5d", "Retention:Policies:nightly:DeleteOlderThan")]
    [InlineData("Retention:Policies:nightly:Registry", "elsewhere", "Retention:Policies:nightly:Registry")]
    [InlineData("Retention:Policies:nightly:MaxDeletionFraction", "1.5", "Retention:Policies:nightly:MaxDeletionFraction")]
    [InlineData("Retention:Policies:nightly:KeepNewest", "many", "Retention:Policies:nightly:KeepNewest")]
    [InlineData("Retention:Policies:nightly:Tags:Include:0", "^pr-|release", "Retention:Policies:nightly:Tags:Include:0 '^pr-|release' anchors only one branch")]
    [InlineData("Retention:Policies:nightly:Tags:Exclude:0", "a|b$", "write '(?:a|b)$'")]
    [InlineData("Retention:Policies:nightly:Repositories:Exclude:0", "x/(^tmp)", "Retention:Policies:nightly:Repositories:Exclude:0 'x/(^tmp)' uses the anchor ^")]
    [InlineData("Retention:Policies:nightly:Protect:0", @"v1\z", @"uses the anchor \z")]
    public void An_invalid_policy_stops_start_up_naming_the_policy_and_key(string key, string value, string expected)
    {
        var settings = ValidPolicy();
        settings[key] = value;

        var error = Assert.ThrowsAny<Exception>(() => Load(settings));

        Assert.True(error is OptionsValidationException or InvalidOperationException);
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("Swr", false)]
    [InlineData("Ncr", false)]
    [InlineData("Ims", false)]
    [InlineData("Oci", true)]
    public void DeleteOrphanedReferrers_is_refused_for_registries_that_cannot_tell_an_image_is_gone(string kind, bool accepted)
    {
        var settings = ValidPolicy();
        settings["Registries:oci:Kind"] = kind;
        settings["Retention:Policies:nightly:DeleteOrphanedReferrers"] = "true";

        var error = Record.Exception(() => Load(settings));

        if (accepted)
            Assert.Null(error);
        else
            Assert.Contains("Retention:Policies:nightly:DeleteOrphanedReferrers", Assert.IsType<OptionsValidationException>(error).Message);
    }

    [Fact]
    public void A_policy_with_neither_keep_newest_nor_an_age_would_match_everything_and_is_refused()
    {
        var settings = ValidPolicy();
        settings.Remove("Retention:Policies:nightly:KeepNewest");
        settings.Remove("Retention:Policies:nightly:DeleteOlderThan");

        var error = Assert.Throws<OptionsValidationException>(() => Load(settings));

        Assert.Contains("Retention:Policies:nightly", error.Message);
        Assert.Contains("KeepNewest or DeleteOlderThan", error.Message);
    }

    [Theory]
    [InlineData("30d", 30 * 24.0)]
    [InlineData("12h", 12.0)]
    [InlineData("90m", 1.5)]
    [InlineData("2w", 14 * 24.0)]
    [InlineData("1.12:00:00", 36.0)]
    public void Durations_are_read_in_every_documented_form(string text, double hours)
    {
        Assert.True(Durations.TryParse(text, out var duration, out _));
        Assert.Equal(hours, duration.TotalHours, 6);
    }

    [Fact]
    public void A_valid_policy_is_compiled_with_anchored_patterns()
    {
        var policies = Load(ValidPolicy());

        var policy = Assert.Single(policies.Values);
        Assert.Matches(policy.Protect[0], "latest");
        Assert.DoesNotMatch(policy.Protect[0], "latest-rc");
        Assert.Equal(TimeSpan.FromDays(30), policy.DeleteOlderThan);
        Assert.Equal("Europe/Berlin", policy.TimeZone.Id);
        Assert.Equal(["team/app"], policy.LiteralRepositories);
    }

    [Fact]
    public void A_policy_naming_its_registry_in_another_case_takes_the_configured_spelling()
    {
        var settings = ValidPolicy();
        settings["Retention:Policies:nightly:Registry"] = "OCI";

        Assert.Equal("oci", Assert.Single(Load(settings).Values).Registry);
    }

    private static Dictionary<string, string?> ValidPolicy() => new()
    {
        ["Retention:Policies:nightly:Registry"] = "oci",
        ["Retention:Policies:nightly:Repositories:Include:0"] = "team/app",
        ["Retention:Policies:nightly:Schedule"] = "0 0 3 * * ?",
        ["Retention:Policies:nightly:TimeZone"] = "Europe/Berlin",
        ["Retention:Policies:nightly:KeepNewest"] = "5",
        ["Retention:Policies:nightly:DeleteOlderThan"] = "30d",
        ["Retention:Policies:nightly:Protect:0"] = "latest",
    };

    private static Dictionary<string, RetentionPolicy> Load(Dictionary<string, string?> settings) =>
        RetentionPolicies.Load(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), ["oci"]);
}
