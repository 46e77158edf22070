using System.Text.RegularExpressions;
using Quartz;
using RegistryCleaner.Common.Validation;

namespace RegistryCleaner.Worker.Retention;

/// <summary>Turns configuration into checked policies. Every error names the policy and the key, and stops start-up.</summary>
public static class PolicyCompiler
{
    public static RetentionPolicy Compile(string name, PolicyOptions o, ICollection<string> knownRegistries, List<string> errors)
    {
        var key = $"Retention:Policies:{name}";
        if (string.IsNullOrWhiteSpace(o.Registry))
            errors.Add($"{key}:Registry is required.");
        else if (!knownRegistries.Contains(o.Registry))
            errors.Add($"{key}:Registry '{o.Registry}' is not a configured registry (Registries:{o.Registry} is missing).");

        var timeZone = TimeZoneInfo.Utc;
        if (!string.IsNullOrWhiteSpace(o.Schedule) && !CronExpression.TryParse(o.Schedule, out _))
            errors.Add($"{key}:Schedule '{o.Schedule}' is not a valid Quartz cron expression (seconds minutes hours day-of-month month day-of-week, e.g. '0 0 3 * * ?').");
        if (!string.IsNullOrWhiteSpace(o.TimeZone) && !TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out timeZone!))
        {
            errors.Add($"{key}:TimeZone '{o.TimeZone}' is not a known time zone (use an IANA name such as Europe/Berlin).");
            timeZone = TimeZoneInfo.Utc;
        }

        TimeSpan? olderThan = null;
        if (o.DeleteOlderThan is not null)
        {
            if (Durations.TryParse(o.DeleteOlderThan, out var parsed, out var error))
                olderThan = parsed;
            else
                errors.Add($"{key}:DeleteOlderThan {error}.");
        }
        if (o.KeepNewest is < 0)
            errors.Add($"{key}:KeepNewest must be zero or more (is {o.KeepNewest}).");
        if (o.KeepNewest is null && olderThan is null && o.DeleteOlderThan is null)
            errors.Add($"{key}: set KeepNewest or DeleteOlderThan (or both); a policy with neither would condemn every tag it matches.");
        if (o.MinKeep is < 0)
            errors.Add($"{key}:MinKeep must be zero or more (is {o.MinKeep}).");
        if (o.MaxDeletionsPerRun is < 0)
            errors.Add($"{key}:MaxDeletionsPerRun must be zero or more (is {o.MaxDeletionsPerRun}).");
        if (o.MaxDeletionFraction is < 0 or > 1 || (o.MaxDeletionFraction is { } f && double.IsNaN(f)))
            errors.Add($"{key}:MaxDeletionFraction must be between 0 and 1 (is {o.MaxDeletionFraction}).");

        var literal = o.Repositories.Include.Count > 0 && o.Repositories.Include.All(Patterns.IsLiteralName)
            ? o.Repositories.Include.ToList() : null;
        return new RetentionPolicy
        {
            Name = name,
            // As configured under Registries: names resolve ignoring case, and reports carry the configured spelling.
            Registry = knownRegistries.FirstOrDefault(r => string.Equals(r, o.Registry, StringComparison.OrdinalIgnoreCase)) ?? o.Registry ?? "",
            RepositoryInclude = CompileAll($"{key}:Repositories:Include", o.Repositories.Include, errors),
            RepositoryExclude = CompileAll($"{key}:Repositories:Exclude", o.Repositories.Exclude, errors),
            LiteralRepositories = literal,
            Schedule = string.IsNullOrWhiteSpace(o.Schedule) ? null : o.Schedule,
            TimeZone = timeZone,
            TagInclude = CompileAll($"{key}:Tags:Include", o.Tags.Include, errors),
            TagExclude = CompileAll($"{key}:Tags:Exclude", o.Tags.Exclude, errors),
            Protect = CompileAll($"{key}:Protect", o.Protect, errors),
            KeepNewest = o.KeepNewest,
            DeleteOlderThan = olderThan,
            MinKeep = o.MinKeep ?? RetentionPolicy.DefaultMinKeep,
            DryRun = o.DryRun,
            DeleteOrphanedReferrers = o.DeleteOrphanedReferrers,
            MaxDeletionsPerRun = o.MaxDeletionsPerRun ?? RetentionPolicy.DefaultMaxDeletionsPerRun,
            MaxDeletionFraction = o.MaxDeletionFraction ?? 1.0,
        };
    }

    private static List<Regex> CompileAll(string key, List<string> patterns, List<string> errors)
    {
        var compiled = new List<Regex>();
        for (var i = 0; i < patterns.Count; i++)
        {
            if (Patterns.TryCompile(patterns[i], out var pattern, out var refusal))
                compiled.Add(pattern);
            else
                errors.Add($"{key}:{i} '{patterns[i]}' {refusal}");
        }
        return compiled;
    }
}
