using System.Text.RegularExpressions;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Registries;
using RegistryCleaner.Worker.Registries.Oci;

namespace RegistryCleaner.Worker.Retention;

/// <summary>
/// Which of a policy's own patterns matched something during one run. A pattern is tried only until its first
/// match, so following the patterns costs little beside planning. Referrer tags are no tags of the tag filters and are
/// not shown to them; a protect pattern protects referrers too, so it sees them.
/// </summary>
public sealed class PatternUsage
{
    private readonly List<Watched> _repositoryPatterns = [];
    private readonly List<Watched> _repositoryExcludes = [];
    private readonly List<Watched> _tagPatterns = [];
    private readonly List<Watched> _protectPatterns = [];

    public PatternUsage(RetentionPolicy policy)
    {
        var key = $"Retention:Policies:{policy.Name}";
        Watch(_repositoryPatterns, $"{key}:Repositories:Include", policy.RepositoryInclude, "repository");
        Watch(_repositoryExcludes, $"{key}:Repositories:Exclude", policy.RepositoryExclude, "repository");
        Watch(_tagPatterns, $"{key}:Tags:Include", policy.TagInclude, "tag");
        Watch(_tagPatterns, $"{key}:Tags:Exclude", policy.TagExclude, "tag");
        Watch(_protectPatterns, $"{key}:Protect", policy.Protect, "tag");
    }

    /// <summary>A repository the registry lists (or, for a policy naming its repositories, one that exists or that its excludes leave out).</summary>
    public void SawRepository(string repository)
    {
        See(_repositoryPatterns, repository);
        See(_repositoryExcludes, repository);
    }

    public void SawTags(IReadOnlyList<RegistryTag> tags)
    {
        foreach (var pattern in _tagPatterns)
        {
            for (var i = 0; i < tags.Count && !pattern.Matched; i++)
                pattern.Matched = ReferrerTags.SubjectOf(tags[i]) is null && pattern.Matcher.IsMatch(tags[i].Name);
        }
        foreach (var pattern in _protectPatterns)
        {
            for (var i = 0; i < tags.Count && !pattern.Matched; i++)
                pattern.Matched = pattern.Matcher.IsMatch(tags[i].Name);
        }
    }

    public IReadOnlyList<UnmatchedPattern> Unmatched() =>
        _repositoryPatterns.Concat(_repositoryExcludes).Concat(_tagPatterns).Concat(_protectPatterns).Where(p => !p.Matched)
            .Select(p => new UnmatchedPattern { Key = p.Key, Pattern = p.Source, MatchedAgainst = p.Against }).ToList();

    private static void See(List<Watched> patterns, string value)
    {
        foreach (var pattern in patterns)
            pattern.Matched |= !pattern.Matched && pattern.Matcher.IsMatch(value);
    }

    private static void Watch(List<Watched> into, string listKey, IReadOnlyList<Regex> patterns, string against)
    {
        for (var i = 0; i < patterns.Count; i++)
            into.Add(new Watched($"{listKey}:{i}", Patterns.Source(patterns[i]), TagMatcher.For(patterns[i]), against));
    }

    private sealed class Watched(string key, string source, TagMatcher matcher, string against)
    {
        public string Key => key;
        public string Source => source;
        public TagMatcher Matcher => matcher;
        public string Against => against;
        public bool Matched { get; set; }
    }
}
