using RegistryCleaner.Worker.Matching;
using RegistryCleaner.Worker.Registries;
using RegistryCleaner.Worker.Retention;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Retention;

/// <summary>
/// The one pattern rule: whole names; a leading ^ on the whole pattern means "starts with", a trailing $ "ends with";
/// any other anchor is refused at start-up with the key and a fix.
/// </summary>
public sealed class PatternRuleSpecs
{
    private static readonly string[] Tags =
        ["pr-", "pr-1", "pr-22", "xpr-1", "release", "prerelease-9", "release-rc", "rc", "v1", "v10", "v1\n", "prod-1"];

    [Fact]
    public void A_leading_caret_means_starts_with_and_gives_exactly_what_dot_star_gives()
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
    [InlineData("^v1", new[] { "v1", "v10" })]
    [InlineData("[^x]r-1", new[] { "pr-1" })]
    [InlineData("^(?:pr-|release)", new[] { "pr-", "pr-1", "pr-22", "release", "release-rc" })]
    [InlineData("pr-.*|release", new[] { "pr-", "pr-1", "pr-22", "release" })]
    [InlineData("(?:1|rc)$", new[] { "pr-1", "xpr-1", "release-rc", "rc", "v1", "prod-1" })]
    [InlineData(@"[$^]x|v1\$", new string[0])]
    public void Whole_names_and_the_anchors_that_open_or_close_the_whole_pattern(string pattern, string[] expected)
    {
        var regex = Patterns.Compile(pattern);

        Assert.Equal(expected, Tags.Where(t => regex.IsMatch(t)));
        Assert.Equal(expected, Tags.Where(TagMatcher.For(regex).IsMatch));
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("^v1$")]
    [InlineData("v1$")]
    [InlineData("^v1")]
    public void A_line_break_is_never_part_of_a_match(string pattern)
    {
        var compiled = Patterns.Compile(pattern);
        Assert.DoesNotMatch(compiled, "v1\n");
        Assert.False(TagMatcher.For(compiled).IsMatch("v1\n"));
        Assert.True(RulePattern.TryCompile("Protection:Tags:0", pattern, out var rule, out _));
        Assert.False(rule.IsMatch("v1\n"));
    }

    [Theory]
    [InlineData("^pr-|release", "anchors only one branch", "'^(?:pr-|release)'")]
    [InlineData("a|b$", "anchors only one branch", "'(?:a|b)$'")]
    [InlineData("^pr-|^release", "the anchor ^ inside", "'^(?:pr-|release)'")]
    [InlineData("team-a/.*|^sandbox", "the anchor ^ inside", "'^(?:team-a/.*|sandbox)'")]
    [InlineData("(^v1)", "the anchor ^ inside", "'^(?:(v1))'")]
    [InlineData(@"\Aprod", @"the anchor \A inside", "'^(?:prod)'")]
    [InlineData(@"prod\z", @"the anchor \z inside", "'(?:prod)$'")]
    [InlineData(@"prod\Z", @"the anchor \Z inside", "'prod'")]
    [InlineData("a)|(?:.*", "not a valid regular expression", "")]
    public void Any_other_anchor_is_refused_with_the_fix(string pattern, string reason, string fix)
    {
        Assert.False(Patterns.TryCompile(pattern, out _, out var refusal));
        Assert.Contains(reason, refusal);
        Assert.Contains(fix, refusal);
        Assert.False(RulePattern.TryCompile("Registries:oci:AllowedRepositories:0", pattern, out _, out var error));
        Assert.StartsWith($"Registries:oci:AllowedRepositories:0 '{pattern}' ", error);
    }

    [Fact]
    public void Registry_rules_follow_the_same_rule()
    {
        Assert.True(RulePattern.TryCompile("Protection:Tags:0", "^prod-", out var prefix, out _));
        Assert.True(RulePattern.TryCompile("Protection:Tags:1", "prod", out var whole, out _));
        Assert.True(RulePattern.TryCompile("Registries:oci:ProtectedTags:0", "-stable$", out var suffix, out _));

        Assert.True(prefix.IsMatch("prod-1"));
        Assert.False(prefix.IsMatch("preprod-1"));
        Assert.False(whole.IsMatch("prod-1"));
        Assert.True(whole.IsMatch("prod"));
        Assert.True(suffix.IsMatch("v1-stable"));
        Assert.False(suffix.IsMatch("v1-stable-2"));
    }

    [Fact]
    public void Allowed_repositories_follow_the_same_rule()
    {
        Assert.True(RulePattern.TryCompile("Registries:oci:AllowedRepositories:0", "^team-a/", out var startsWith, out _));
        Assert.True(RulePattern.TryCompile("Registries:oci:AllowedRepositories:1", "team-a/.*|sandbox", out var alternatives, out _));
        Assert.True(RulePattern.TryCompile("Registries:oci:AllowedRepositories:2", "team-b", out var whole, out _));

        Assert.True(startsWith.IsMatch("team-a/app"));
        Assert.False(startsWith.IsMatch("x/team-a/app"));
        Assert.False(startsWith.IsMatch("team-a-prod/app"));
        Assert.True(alternatives.IsMatch("sandbox"));
        Assert.False(alternatives.IsMatch("x/team-a/y"));
        Assert.False(alternatives.IsMatch("sandbox-2"));
        Assert.False(whole.IsMatch("team-b-prod"));
        Assert.False(whole.IsMatch("team-b\n"));
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
