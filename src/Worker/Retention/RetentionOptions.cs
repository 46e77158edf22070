namespace RegistryCleaner.Worker.Retention;

/// <summary><c>Retention:Policies:&lt;name&gt;:*</c>, as people and scripts write it. Compiled and checked into <see cref="RetentionPolicy"/>.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    public Dictionary<string, PolicyOptions> Policies { get; } = new(StringComparer.OrdinalIgnoreCase);
}

public sealed class PolicyOptions
{
    public string? Registry { get; set; }
    public PatternOptions Repositories { get; set; } = new();
    public string? Schedule { get; set; }
    public string? TimeZone { get; set; }
    public PatternOptions Tags { get; set; } = new();
    public int? KeepNewest { get; set; }
    public string? DeleteOlderThan { get; set; }
    public List<string> Protect { get; set; } = [];
    public int? MinKeep { get; set; }
    public bool DryRun { get; set; }
    public bool DeleteOrphanedReferrers { get; set; }
    public int? MaxDeletionsPerRun { get; set; }
    public double? MaxDeletionFraction { get; set; }
}

public sealed class PatternOptions
{
    public List<string> Include { get; set; } = [];
    public List<string> Exclude { get; set; } = [];
}
