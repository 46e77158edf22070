using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Protection;
using RegistryCleaner.Worker.Registries;
using RegistryCleaner.Worker.Retention;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Retention;

/// <summary>A whole run over a registry held in memory: what its report lists and counts, and what its limits block.</summary>
public sealed class RetentionRunReportSpecs
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly RegistryRules NoRules = new("r", [], [], [], null);

    private static string Digest(char c) => "sha256:" + new string(c, 64);

    private static string Sig(string digest) => digest.Replace(':', '-') + ".sig";

    /// <summary>Repositories of tags; manifests are read through <see cref="IImageContents"/>, or fail when asked to.</summary>
    private sealed class MemoryRegistry(Dictionary<string, RegistryTag[]> repositories, bool manifestsFail = false) : IRegistryClient, IImageContents
    {
        public string Name => "r";
        public RegistryKind Kind => RegistryKind.Oci;
        public string? ValidateRepository(string repository) => null;
        public string? ValidateTag(string tag) => null;
        public Task<DeletionResult> DeleteTagAsync(string repository, string tag, OperationAttempts attempts, CancellationToken ct) => throw new NotSupportedException();
        public Task<DeletionResult> DeleteRepositoryAsync(string repository, bool deleteTagsFirst, OperationAttempts attempts, CancellationToken ct) => throw new NotSupportedException();

        public async IAsyncEnumerable<string> ListRepositoriesAsync(OperationAttempts attempts, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            await Task.Yield();
            foreach (var name in repositories.Keys)
                yield return name;
        }

        public Task<IReadOnlyList<RegistryTag>?> ListTagsAsync(string repository, OperationAttempts attempts, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<RegistryTag>?>(repositories.GetValueOrDefault(repository));

        public Task<ManifestParts?> ManifestPartsAsync(string repository, string digest, OperationAttempts attempts, CancellationToken ct) =>
            manifestsFail
                ? throw new RegistryFailureException(FailureKind.RetriesExhausted, 503, "the registry is overloaded")
                : Task.FromResult<ManifestParts?>(new ManifestParts([new BlobRef(digest + "-layer", 100)], []));
    }

    private static RetentionPolicy Policy(string name = "p") => new() { Name = name, Registry = "r", KeepNewest = 1, MinKeep = 0 };

    /// <summary>One kept image v0 and <paramref name="count"/> older images, each signed, plus as many orphaned signatures.</summary>
    private static RegistryTag[] SignedRepository(int count)
    {
        var tags = new List<RegistryTag> { new("v0", Digest('0'), Now) };
        for (var i = 1; i <= count; i++)
        {
            var digest = $"sha256:a{i:x63}";
            tags.Add(new RegistryTag($"v{i}", digest, Now.AddDays(-i)));
            tags.Add(new RegistryTag(Sig(digest), $"sha256:b{i:x63}", Now));
            tags.Add(new RegistryTag(Sig($"sha256:c{i:x63}"), $"sha256:d{i:x63}", Now) { SubjectPresence = SubjectPresence.Absent });
        }
        return [.. tags];
    }

    private static async Task<RetentionRun> RunAsync(RetentionPolicy policy, IRegistryClient registry, DeletionSpool? spool = null)
    {
        var run = new RetentionRun(policy, registry, NoRules, spool, Now);
        await run.PlanAsync(new OperationAttempts(), CancellationToken.None);
        return run;
    }

    [Fact]
    public async Task An_estimate_the_registry_cannot_give_is_unknown_and_the_run_goes_on()
    {
        var registry = new MemoryRegistry(new() { ["team/app"] = [new("v2", Digest('a'), Now), new("v1", Digest('b'), Now.AddDays(-1))] }, manifestsFail: true);

        using var run = await RunAsync(Policy(), registry);
        var report = run.Report(new RetentionRunCompleted());

        Assert.Equal(["v1"], Assert.Single(report.Repositories).Condemned.Select(c => c.Tag));
        Assert.Null(report.Repositories[0].EstimatedBytesFreed);
        Assert.Null(report.EstimatedBytesFreed);
        Assert.Equal(1, report.ImagesRemoved);
    }

    [Fact]
    public async Task Condemned_tags_and_orphans_beyond_the_report_limit_are_counted_not_listed_and_still_deleted()
    {
        const int images = 6_000;
        var registry = new MemoryRegistry(new() { ["team/app"] = SignedRepository(images) });
        using var spool = new DeletionSpool(Path.GetTempPath());

        using var run = await RunAsync(Policy() with { DeleteOrphanedReferrers = true, MaxDeletionsPerRun = 100_000 }, registry, spool);
        var report = run.Report(new RetentionRunCompleted());

        var plan = Assert.Single(report.Repositories);
        Assert.Equal(3 * images, plan.ToDelete);
        // condemned images (6,000) and removed orphans (6,000) fill the 10,000 places; the orphan list gets what is left
        Assert.Equal(RetentionRun.ListedCondemnedLimit, plan.Condemned.Count);
        Assert.Equal(2 * images - RetentionRun.ListedCondemnedLimit, report.CondemnedNotListed);
        Assert.Empty(plan.OrphanedReferrers);
        Assert.Equal(images, report.OrphanedNotListed);
        Assert.Equal(3 * images, run.Deletions.Count());
    }

    [Fact]
    public async Task The_orphan_list_is_capped_by_the_same_limit()
    {
        const int images = 4_000;
        var registry = new MemoryRegistry(new() { ["team/app"] = SignedRepository(images), ["team/web"] = SignedRepository(images) });

        using var run = await RunAsync(Policy(), registry);
        var report = run.Report(new RetentionRunCompleted());

        Assert.Equal(images, report.Repositories[0].Condemned.Count);
        Assert.Equal(images, report.Repositories[0].OrphanedReferrers.Count);
        Assert.Equal(RetentionRun.ListedCondemnedLimit - 2 * images, report.Repositories[1].Condemned.Count);
        Assert.Empty(report.Repositories[1].OrphanedReferrers);
        Assert.Equal(images, report.OrphanedNotListed);
        Assert.Equal(images - (RetentionRun.ListedCondemnedLimit - 2 * images), report.CondemnedNotListed);
    }

    [Theory]
    [InlineData(5, null, false)]  // v1..v2 condemned, their 2 signatures and 2 orphans: 6 deletions
    [InlineData(6, null, true)]
    [InlineData(1000, 0.5, false)] // 6 of 7 tags
    public async Task Referrer_and_orphan_deletions_count_towards_the_limits(int maxDeletions, double? maxFraction, bool withinLimits)
    {
        var registry = new MemoryRegistry(new() { ["team/app"] = SignedRepository(2) });
        var policy = Policy() with { DeleteOrphanedReferrers = true, MaxDeletionsPerRun = maxDeletions, MaxDeletionFraction = maxFraction ?? 1.0 };
        using var spool = new DeletionSpool(Path.GetTempPath());

        using var run = await RunAsync(policy, registry, spool);

        Assert.Equal(6, run.Report(new RetentionRunCompleted()).TagsToDelete);
        Assert.Equal(withinLimits, run.LimitBroken is null);
        if (withinLimits)
            Assert.Equal(6, run.Deletions.Count());
    }

    [Fact]
    public async Task A_dry_run_counts_referrer_and_orphan_deletions_and_spools_none()
    {
        var registry = new MemoryRegistry(new() { ["team/app"] = SignedRepository(2) });

        using var run = await RunAsync(Policy() with { DeleteOrphanedReferrers = true }, registry, spool: null);

        Assert.Equal(6, run.Report(new RetentionRunCompleted()).TagsToDelete);
        Assert.Empty(run.Deletions);
    }

    [Fact]
    public async Task Exclude_patterns_of_a_policy_naming_its_repositories_are_seen_to_match()
    {
        var registry = new MemoryRegistry(new() { ["team/app"] = [new("v1", Digest('a'), Now)], ["team/tmp"] = [new("v1", Digest('b'), Now)] });
        var policy = Policy("named") with
        {
            RepositoryInclude = [Patterns.Compile("team/app"), Patterns.Compile("team/tmp")],
            RepositoryExclude = [Patterns.Compile("team/tmp"), Patterns.Compile("gone/.*")],
            LiteralRepositories = ["team/app", "team/tmp"],
            Protect = [Patterns.Compile(".*\\.sig")],
        };

        using var run = await RunAsync(policy, registry);

        Assert.Equal(["team/app"], run.Plans.Select(p => p.Repository));
        Assert.Equal(["Retention:Policies:named:Repositories:Exclude:1", "Retention:Policies:named:Protect:0"], run.Usage.Unmatched().Select(u => u.Key));
    }

    [Fact]
    public async Task A_protect_pattern_that_protects_signatures_has_matched()
    {
        var registry = new MemoryRegistry(new() { ["team/app"] = SignedRepository(1) });
        var policy = Policy() with { Protect = [Patterns.Compile(".*\\.sig")] };

        using var run = await RunAsync(policy, registry);

        Assert.Empty(run.Usage.Unmatched());
        Assert.Equal(2, run.Plans[0].Protected);
    }
}
