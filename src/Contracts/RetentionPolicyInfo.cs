namespace RegistryCleaner.Contracts;

public record RetentionPolicyInfo
{
    public string Name { get; init; } = "";
    public string Registry { get; init; } = "";

    /// <summary>The Quartz cron expression, or null for manual runs only.</summary>
    public string? Schedule { get; init; }

    public string? TimeZone { get; init; }
    public bool DryRun { get; init; }
    public DateTimeOffset? NextFireTime { get; init; }

    /// <summary>The policy's rules in one line, e.g. "keep newest 5; delete older than 30d; protect ^latest$".</summary>
    public string Rules { get; init; } = "";
}
