namespace RegistryCleaner.Worker.Registries;

/// <summary>How transient registry answers (408, 429, 5xx, timeouts, resets) are retried.</summary>
public sealed class RetryOptions
{
    public const string Section = "Retry";

    /// <summary>Attempts per registry request, the first included.</summary>
    public int MaxAttempts { get; set; } = 5;

    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>A longer Retry-After than this is cut to it, so one answer cannot park a command for hours.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one attempt may take before it counts as a timeout.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
