using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Protection;
using RegistryCleaner.Worker.Registries;

namespace RegistryCleaner.Worker.Retention;

/// <summary>
/// One run of a policy, streamed: its repositories are listed and planned one at a time, and only what the report
/// needs stays in memory (each repository's counts, and the first <see cref="ListedCondemnedLimit"/> condemned tags and
/// orphaned referrers).
/// The deletions go to a <see cref="DeletionSpool"/> until the whole plan is known to be within the limits.
/// </summary>
public sealed class RetentionRun : IDisposable
{
    /// <summary>Condemned tags listed in the report, across repositories; the rest are counted.</summary>
    public const int ListedCondemnedLimit = 10_000;

    private readonly RetentionPolicy _policy;
    private readonly IRegistryClient _registry;
    private readonly RegistryRules _rules;
    private readonly DateTimeOffset _now;
    private readonly DeletionSpool? _spool;
    private readonly List<RepositoryPlan> _plans = [];
    private int _listed;
    private long _toDelete;
    private string? _fractionBroken;

    /// <param name="policy">The policy as configured; the registry's protected tags are added to its Protect list.</param>
    /// <param name="spool">Where the deletions wait until the plan is whole; null for a dry run: nothing will be sent, so nothing is kept.</param>
    public RetentionRun(RetentionPolicy policy, IRegistryClient registry, RegistryRules rules, DeletionSpool? spool, DateTimeOffset now)
    {
        Usage = new PatternUsage(policy);
        _policy = policy with { Protect = [.. policy.Protect, .. rules.ProtectedTags.Select(p => p.Regex)] };
        _registry = registry;
        _rules = rules;
        _now = now;
        _spool = spool;
    }

    public PatternUsage Usage { get; }
    public IReadOnlyList<RepositoryPlan> Plans => _plans;

    /// <summary>Repositories the policy names itself but the registry's scope excludes.</summary>
    public List<string> OutOfScope { get; } = [];

    public int CondemnedNotListed { get; private set; }

    /// <summary>Orphaned referrers left out of the report: they share the <see cref="ListedCondemnedLimit"/> with the condemned.</summary>
    public int OrphanedNotListed { get; private set; }

    /// <summary>Why the plan may not run; null while it is within every limit.</summary>
    public string? LimitBroken => RetentionPlanner.TotalBroken(_policy, _toDelete) ?? _fractionBroken;

    /// <summary>The deletions to send, in plan order: per repository its condemned tags, then the referrers that go with them.</summary>
    public IEnumerable<PlannedDeletion> Deletions => _spool?.Read() ?? [];

    /// <summary>Throws <see cref="RegistryFailureException"/> when listing fails, <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/> when the spool cannot be written.</summary>
    public async Task PlanAsync(OperationAttempts attempts, CancellationToken ct)
    {
        await foreach (var repository in RepositoriesAsync(attempts, ct))
        {
            var tags = await _registry.ListTagsAsync(repository, attempts, ct);
            if (tags is null)
                continue;
            if (_policy.LiteralRepositories is not null)
                Usage.SawRepository(repository);
            Usage.SawTags(tags);
            var plan = RetentionPlanner.Plan(_policy, repository, tags, _now);
            plan = plan with { EstimatedBytesFreed = await EstimateAsync(plan, tags, attempts, ct) };
            Record(plan);
        }
    }

    /// <summary>The report with this run's plans and totals.</summary>
    public RetentionRunCompleted Report(RetentionRunCompleted report) => report with
    {
        Repositories = _plans,
        TagsScanned = _plans.Sum(p => p.Scanned),
        TagsToDelete = _plans.Sum(p => p.ToDelete),
        UntagOnly = _plans.Sum(p => p.UntagOnly),
        ImagesRemoved = _plans.Sum(p => p.ImagesRemoved),
        EstimatedBytesFreed = _plans.Any(p => p.EstimatedBytesFreed is null) ? null : _plans.Sum(p => p.EstimatedBytesFreed!.Value),
        CondemnedNotListed = CondemnedNotListed,
        OrphanedNotListed = OrphanedNotListed,
    };

    private void Record(RepositoryPlan plan)
    {
        _toDelete += plan.ToDelete;
        _fractionBroken ??= RetentionPlanner.FractionBroken(_policy, plan);
        if (_spool is not null && LimitBroken is null)
        {
            // A tag is deleted only while it holds what it held here, where the registry can check: one pushed again since is kept.
            var checksDigest = _registry is IReadingTagDelete;
            foreach (var tag in plan.Condemned)
                _spool.Add(plan.Repository, tag.Tag, $"retention policy {_policy.Name}: {tag.Rule}", digest: checksDigest ? tag.Digest : null);
            foreach (var tag in plan.Condemned)
            {
                foreach (var referrer in tag.Referrers)
                    _spool.Add(plan.Repository, referrer.Tag, $"retention policy {_policy.Name}: referrer of {referrer.Subject}, removed with its image",
                        onlyIfUntagged: referrer.Subject, digest: checksDigest ? referrer.Digest : null);
            }
        }
        var room = Math.Max(0, ListedCondemnedLimit - _listed);
        if (plan.Condemned.Count > room)
        {
            CondemnedNotListed += plan.Condemned.Count - room;
            plan = plan with { Condemned = plan.Condemned.Take(room).ToList() };
        }
        _listed += plan.Condemned.Count;
        room = Math.Max(0, ListedCondemnedLimit - _listed);
        if (plan.OrphanedReferrers.Count > room)
        {
            OrphanedNotListed += plan.OrphanedReferrers.Count - room;
            plan = plan with { OrphanedReferrers = plan.OrphanedReferrers.Take(room).ToList() };
        }
        _listed += plan.OrphanedReferrers.Count;
        _plans.Add(plan);
    }

    private async Task<long?> EstimateAsync(RepositoryPlan plan, IReadOnlyList<RegistryTag> tags, OperationAttempts attempts, CancellationToken ct)
    {
        var removed = new HashSet<string>(StringComparer.Ordinal);
        var condemnedTags = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tag in plan.Condemned)
        {
            condemnedTags.Add(tag.Tag);
            if (!tag.UntagOnly && tag.Digest is not null)
                removed.Add(tag.Digest);
            foreach (var referrer in tag.Referrers)
            {
                condemnedTags.Add(referrer.Tag);
                if (referrer.Digest is not null)
                    removed.Add(referrer.Digest);
            }
        }
        if (removed.Count == 0)
            return plan.Condemned.Any(c => c.Digest is null) ? null : 0;
        if (_registry is not IImageContents contents)
            return null;
        var kept = tags.Where(t => t.Digest is not null && !condemnedTags.Contains(t.Name)).Select(t => t.Digest!).Distinct(StringComparer.Ordinal);
        return await new FreedSpace(contents, plan.Repository, attempts, ct).EstimateAsync(removed, kept);
    }

    /// <summary>The policy's repositories within the registry's scope. Those the policy names itself but the scope excludes are reported.</summary>
    private async IAsyncEnumerable<string> RepositoriesAsync(OperationAttempts attempts, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        if (_policy.LiteralRepositories is { } named)
        {
            foreach (var repository in named)
            {
                if (!_policy.IncludesRepository(repository))
                    Usage.SawRepository(repository); // its exclude patterns did their work
                else if (_rules.InScope(repository))
                    yield return repository;
                else
                    OutOfScope.Add(repository);
            }
            yield break;
        }
        await foreach (var repository in _registry.ListRepositoriesAsync(attempts, ct))
        {
            Usage.SawRepository(repository);
            if (_policy.IncludesRepository(repository) && _rules.InScope(repository))
                yield return repository;
        }
    }

    public void Dispose() => _spool?.Dispose();
}
