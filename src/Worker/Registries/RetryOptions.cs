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

    /// <summary>
    /// How long one attempt may take before it counts as a timeout: each request, from sending it to the last byte of
    /// its answer's body, and the token fetch after a Bearer challenge.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<string> Errors()
    {
        if (MaxAttempts is < 1 or > 20)
            yield return $"Retry:MaxAttempts must be between 1 and 20 (is {MaxAttempts}).";
        if (BaseDelay < TimeSpan.Zero || BaseDelay > TimeSpan.FromMinutes(5))
            yield return "Retry:BaseDelay must be between 0 and 5 minutes.";
        if (MaxDelay < BaseDelay || MaxDelay > TimeSpan.FromMinutes(10))
            yield return "Retry:MaxDelay must be at least Retry:BaseDelay and at most 10 minutes.";
        if (MaxRetryAfter < TimeSpan.Zero || MaxRetryAfter > TimeSpan.FromMinutes(10))
            yield return "Retry:MaxRetryAfter must be between 0 and 10 minutes.";
        if (AttemptTimeout <= TimeSpan.Zero || AttemptTimeout > TimeSpan.FromMinutes(10))
            yield return "Retry:AttemptTimeout must be between 0 and 10 minutes.";
    }
}
