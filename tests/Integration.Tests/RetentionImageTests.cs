using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using RegistryCleaner.Contracts;
using RegistryCleaner.Integration.Tests.Support;

namespace RegistryCleaner.Integration.Tests;

/// <summary>
/// Retention that knows images, on the real registry through the Publisher: patterns with anchors, multi-arch
/// indexes, cosign signature tags, and what a plan frees.
/// </summary>
public sealed class RetentionImageTests(OwnWorkerFixture fixture) : IClassFixture<OwnWorkerFixture>
{
    private const string PatternRepository = "it/retention-pattern";
    private const string MultiArchRepository = "it/retention-multiarch";
    private const string SignatureRepository = "it/retention-signatures";
    private const string UntagRepository = "it/retention-bytes-untag";
    private const string SharedRepository = "it/retention-bytes-shared";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>The policies these tests run, added to the worker's configuration.</summary>
    public static readonly Dictionary<string, string?> Policies = new()
    {
        ["Retention:Policies:it-pattern:Registry"] = "oci",
        ["Retention:Policies:it-pattern:Repositories:Include:0"] = PatternRepository,
        ["Retention:Policies:it-pattern:Tags:Include:0"] = "^pr-",
        ["Retention:Policies:it-pattern:Tags:Include:1"] = "feature-.*",
        ["Retention:Policies:it-pattern:DeleteOlderThan"] = "5d",
        ["Retention:Policies:it-pattern:MinKeep"] = "0",
        ["Retention:Policies:it-pattern-whole:Registry"] = "oci",
        ["Retention:Policies:it-pattern-whole:Repositories:Include:0"] = PatternRepository,
        ["Retention:Policies:it-pattern-whole:Tags:Include:0"] = "pr-.*",
        ["Retention:Policies:it-pattern-whole:DeleteOlderThan"] = "5d",
        ["Retention:Policies:it-pattern-whole:MinKeep"] = "0",
        ["Retention:Policies:it-pattern-whole:DryRun"] = "true",
        ["Retention:Policies:it-multiarch:Registry"] = "oci",
        ["Retention:Policies:it-multiarch:Repositories:Include:0"] = MultiArchRepository,
        ["Retention:Policies:it-multiarch:KeepNewest"] = "1",
        ["Retention:Policies:it-multiarch:DeleteOlderThan"] = "5d",
        ["Retention:Policies:it-signatures:Registry"] = "oci",
        ["Retention:Policies:it-signatures:Repositories:Include:0"] = SignatureRepository,
        ["Retention:Policies:it-signatures:KeepNewest"] = "1",
        ["Retention:Policies:it-signatures-orphans:Registry"] = "oci",
        ["Retention:Policies:it-signatures-orphans:Repositories:Include:0"] = SignatureRepository,
        ["Retention:Policies:it-signatures-orphans:KeepNewest"] = "1",
        ["Retention:Policies:it-signatures-orphans:DeleteOrphanedReferrers"] = "true",
        ["Retention:Policies:it-bytes:Registry"] = "oci",
        ["Retention:Policies:it-bytes:Repositories:Include:0"] = UntagRepository,
        ["Retention:Policies:it-bytes:Repositories:Include:1"] = SharedRepository,
        ["Retention:Policies:it-bytes:KeepNewest"] = "1",
        ["Retention:Policies:it-bytes:Protect:0"] = "stable",
        ["Retention:Policies:it-bytes:DryRun"] = "true",
    };

    private ImagePusher Registry => fixture.Registry;

    [Fact]
    public async Task A_caret_pattern_is_honoured_exactly_as_dot_star_and_a_pattern_that_matched_nothing_is_a_warning()
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var tag in new[] { "pr-1", "pr-2", "xpr-1", "release-1" })
            await Registry.PushAsync(PatternRepository, tag, now.AddDays(-10), tag);
        await Registry.PushAsync(PatternRepository, "pr-3", now.AddDays(-1), "pr-3");

        var whole = await DryRunAsync("it-pattern-whole");
        var caret = await DryRunAsync("it-pattern");
        var (exit, output, error) = await RunAsync("it-pattern");

        Assert.Equal(["pr-1", "pr-2"], Condemned(whole));
        Assert.Equal(Condemned(whole), Condemned(caret));
        Assert.Equal("Retention:Policies:it-pattern:Tags:Include:1", Assert.Single(caret.UnmatchedPatterns).Key);
        Assert.True(exit == 0, $"exit {exit}\n{output}\n{error}");
        Assert.Contains("warning: Retention:Policies:it-pattern:Tags:Include:1 'feature-.*' matched no tag in this run", output);
        Assert.Equal(["pr-3", "release-1", "xpr-1"], await Registry.TagsAsync(PatternRepository));
    }

    [Fact]
    public async Task Multi_arch_indexes_age_by_their_newest_platform_and_the_kept_index_still_pulls_for_both()
    {
        var now = DateTimeOffset.UtcNow;
        await PushIndexAsync("i30", now.AddDays(-30), now.AddDays(-30), null);
        await PushIndexAsync("i20", now.AddDays(-1), now.AddDays(-1), now.AddDays(-20)); // the annotation wins
        await PushIndexAsync("i10", now.AddDays(-12), now.AddDays(-10), null);
        var kept = await PushIndexAsync("i1", now.AddDays(-1), now.AddDays(-2), null);
        // As old as its newest platform: dated by its oldest, it would be condemned (not the newest, and older than 5d).
        var mixed = await PushIndexAsync("mixed", now.AddDays(-30), now.AddDays(-1), null);
        await PushIndexAsync("undated", null, null, null);

        var (exit, output, error) = await RunAsync("it-multiarch");

        Assert.True(exit == 0, $"exit {exit}\n{output}\n{error}");
        Assert.Contains("undated 1", output);
        Assert.Contains("to delete 3", output);
        Assert.Equal(["i1", "mixed", "undated"], await Registry.TagsAsync(MultiArchRepository));
        Assert.True(await Registry.ManifestExistsAsync(MultiArchRepository, "i1"));
        foreach (var platform in kept.Concat(mixed))
        {
            Assert.True(await Registry.ManifestExistsAsync(MultiArchRepository, platform.Digest), $"platform {platform.Architecture} of the kept index");
            Assert.True(await Registry.BlobExistsAsync(MultiArchRepository, platform.ConfigDigest));
            foreach (var layer in platform.LayerDigests)
                Assert.True(await Registry.BlobExistsAsync(MultiArchRepository, layer));
        }
    }

    [Fact]
    public async Task Signatures_follow_their_image_and_orphans_go_only_when_the_policy_says_so()
    {
        var now = DateTimeOffset.UtcNow;
        var old = await Registry.PushAsync(SignatureRepository, "old", now.AddDays(-50), "v1");
        var current = await Registry.PushAsync(SignatureRepository, "current", now.AddDays(-1), "v2");
        var oldSignature = await Registry.PushSignatureAsync(SignatureRepository, old, now.AddDays(-40));
        var keptSignature = await Registry.PushSignatureAsync(SignatureRepository, current, now.AddDays(-100));
        var orphan = await Registry.PushSignatureAsync(SignatureRepository, ImagePusher.Digest(Encoding.UTF8.GetBytes(Guid.NewGuid().ToString())), now.AddDays(-100));

        var (exit, output, error) = await RunAsync("it-signatures");

        Assert.True(exit == 0, $"exit {exit}\n{output}\n{error}");
        Assert.Contains($"    - v1  (", output);
        Assert.Contains($"      + {oldSignature}  (referrer, removed with it)", output);
        Assert.Contains($"orphaned referrers (subject not in the repository): {orphan}", output);
        Assert.Equal(new[] { keptSignature, orphan, "v2" }.Order(StringComparer.Ordinal), await Registry.TagsAsync(SignatureRepository));

        (exit, output, error) = await RunAsync("it-signatures-orphans");

        Assert.True(exit == 0, $"exit {exit}\n{output}\n{error}");
        Assert.Contains($"    - {orphan}  (orphaned referrer: its subject", output);
        Assert.Equal(new[] { keptSignature, "v2" }.Order(StringComparer.Ordinal), await Registry.TagsAsync(SignatureRepository));
    }

    [Fact]
    public async Task A_plan_says_which_tags_only_lose_a_name_and_how_many_bytes_the_removed_images_free()
    {
        var now = DateTimeOffset.UtcNow;
        await Registry.PushAsync(UntagRepository, "shared", now.AddDays(-10), "stable", "v1");
        await Registry.PushAsync(UntagRepository, "newer", now.AddDays(-1), "v2");
        var baseLayer = Encoding.UTF8.GetBytes(new string('b', 1000));
        var oldLayer = Encoding.UTF8.GetBytes(new string('o', 300));
        var old = await Registry.PushImageAsync(SharedRepository, "old", now.AddDays(-10), [baseLayer, oldLayer], "amd64", "v1");
        await Registry.PushImageAsync(SharedRepository, "new", now.AddDays(-1), [baseLayer, Encoding.UTF8.GetBytes(new string('n', 500))], "amd64", "v2");

        var report = await DryRunAsync("it-bytes");

        var untag = report.Repositories.Single(r => r.Repository == UntagRepository);
        Assert.Equal("v1", Assert.Single(untag.Condemned).Tag);
        Assert.True(untag.Condemned[0].UntagOnly);
        Assert.Equal((1, 0, 0L), (untag.UntagOnly, untag.ImagesRemoved, untag.EstimatedBytesFreed));
        var shared = report.Repositories.Single(r => r.Repository == SharedRepository);
        Assert.False(Assert.Single(shared.Condemned).UntagOnly);
        Assert.Equal((0, 1, 300 + old.ConfigSize), (shared.UntagOnly, shared.ImagesRemoved, shared.EstimatedBytesFreed));
        Assert.Equal(300 + old.ConfigSize, report.EstimatedBytesFreed);
    }

    private async Task<List<ImagePusher.PushedImage>> PushIndexAsync(string tag, DateTimeOffset? amd64Created, DateTimeOffset? arm64Created, DateTimeOffset? annotated)
    {
        var amd64 = await Registry.PushImageAsync(MultiArchRepository, $"{tag} amd64", amd64Created, [Encoding.UTF8.GetBytes($"layer {tag} amd64")], "amd64");
        var arm64 = await Registry.PushImageAsync(MultiArchRepository, $"{tag} arm64", arm64Created, [Encoding.UTF8.GetBytes($"layer {tag} arm64")], "arm64");
        await Registry.PushIndexAsync(MultiArchRepository, [amd64, arm64], annotated, tag);
        return [amd64, arm64];
    }

    private Task<(int Exit, string Output, string Error)> RunAsync(string policy) =>
        PublisherProcess.RunAsync("retention", "run", policy, "--wait", "--timeout", "90", "--broker", fixture.BrokerUri);

    private async Task<RetentionRunCompleted> DryRunAsync(string policy)
    {
        var (exit, output, error) = await PublisherProcess.RunAsync("retention", "run", policy, "--dry-run", "--json", "--timeout", "90", "--broker", fixture.BrokerUri);
        Assert.True(exit == 0, $"exit {exit}\n{output}\n{error}");
        return JsonSerializer.Deserialize<RetentionRunCompleted>(output.Split('\n')[0], Json)!;
    }

    private static List<string> Condemned(RetentionRunCompleted report) =>
        report.Repositories.SelectMany(r => r.Condemned).Select(c => c.Tag).Order(StringComparer.Ordinal).ToList();
}
