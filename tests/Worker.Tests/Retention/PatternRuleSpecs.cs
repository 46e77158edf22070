using RegistryCleaner.Worker.Registries;
using RegistryCleaner.Worker.Retention;
using RegistryCleaner.Worker.Validation;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Retention;

/// <summary>The one pattern rule: whole names unless the pattern writes its own anchors, which are then honoured.</summary>
public sealed class PatternRuleSpecs
{
    private static readonly string[] Tags = ["pr-", "pr-1", "pr-22", "xpr-1", "release-rc", "rc", "v1", "v10", "prod-1"];

    [Fact]
    public void A_leading_caret_is_honoured_and_gives_exactly_what_dot_star_gives()
    {
        var honoured = Patterns.Compile("^pr-");
        var written = Patterns.Compile("pr-.*");

        Assert.Equal(Tags.Where(t => written.IsMatch(t)), Tags.Where(t => honoured.IsMatch(t)));
        Assert.Equal(["pr-", "pr-1", "pr-22"], Tags.Where(t => honoured.IsMatch(t)));
    }

    [Theory]
    [InlineData("pr-", new[] { "pr-" })]
    [InlineData("-rc$", new[] { "release-rc" })]
    [InlineData("^v1$", new[] { "v1" })]
    [InlineData("v1", new[] { "v1" })]
    [InlineData("[^x]r-1", new[] { "pr-1" })]
    [InlineData(@"\Aprod", new[] { "prod-1" })]
    public void Whole_names_without_anchors_and_the_written_anchors_otherwise(string pattern, string[] expected)
    {
        var regex = Patterns.Compile(pattern);

        Assert.Equal(expected, Tags.Where(t => regex.IsMatch(t)));
        Assert.Equal(expected, Tags.Where(TagMatcher.For(regex).IsMatch));
    }

    [Theory]
    [InlineData("^pr-", true)]
    [InlineData("rc$", true)]
    [InlineData(@"\Av1", true)]
    [InlineData("pr-.*", false)]
    [InlineData("[$^]x", false)]
    [InlineData(@"a\$", false)]
    [InlineData(@"[]^]x", false)]
    public void Anchors_are_found_outside_character_classes_and_escapes(string pattern, bool anchored) =>
        Assert.Equal(anchored, PatternAnchors.HasAnchor(pattern));

    [Fact]
    public void Registry_rules_follow_the_same_rule()
    {
        Assert.True(RulePattern.TryCompile("Protection:Tags:0", "^prod-", out var prefix, out _));
        Assert.True(RulePattern.TryCompile("Protection:Tags:1", "prod", out var whole, out _));

        Assert.True(prefix.IsMatch("prod-1"));
        Assert.False(whole.IsMatch("prod-1"));
        Assert.True(whole.IsMatch("prod"));
    }

    [Fact]
    public void Patterns_that_matched_nothing_in_a_run_are_named_with_their_keys()
    {
        var policy = new RetentionPolicy
        {
            Name = "nightly", Registry = "r", KeepNewest = 1,
            RepositoryInclude = [Patterns.Compile("team/.*"), Patterns.Compile("gone/.*")],
            TagInclude = [Patterns.Compile("pr-.*"), Patterns.Compile("feature-.*")],
            Protect = [Patterns.Compile("latest")],
        };
        var usage = new PatternUsage(policy);

        usage.SawRepository("team/app");
        usage.SawTags([new RegistryTag("pr-1", null, null), new RegistryTag("sha256-" + new string('a', 64) + ".sig", null, null) { }]);

        Assert.Equal(
            ["Retention:Policies:nightly:Repositories:Include:1 'gone/.*' repository", "Retention:Policies:nightly:Tags:Include:1 'feature-.*' tag",
             "Retention:Policies:nightly:Protect:0 'latest' tag"],
            usage.Unmatched().Select(p => $"{p.Key} '{p.Pattern}' {p.MatchedAgainst}"));
    }

    [Fact]
    public void Referrer_tags_do_not_count_as_matches()
    {
        var policy = new RetentionPolicy { Name = "p", Registry = "r", KeepNewest = 1, TagInclude = [Patterns.Compile("sha256-.*")] };
        var usage = new PatternUsage(policy);

        usage.SawTags([new RegistryTag("sha256-" + new string('b', 64) + ".att", null, null)]);

        Assert.Equal("Retention:Policies:p:Tags:Include:0", Assert.Single(usage.Unmatched()).Key);
    }
}
