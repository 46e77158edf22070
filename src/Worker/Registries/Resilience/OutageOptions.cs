namespace RegistryCleaner.Worker.Registries.Resilience;

/// <summary>
/// <c>Registries:&lt;name&gt;:Outage:*</c>: when a registry counts as down, and what happens to its work meanwhile.
/// A registry is down once, within <see cref="SamplingDuration"/>, at least <see cref="MinimumThroughput"/> requests were
/// answered and at least <see cref="FailureRatio"/> of them failed (408, 429, 5xx, timeouts, dropped connections).
/// Its requests then wait instead of being sent or retried; every <see cref="BreakDuration"/> one of them goes through
/// as a probe, and the first probe that succeeds lets them all continue.
/// </summary>
public sealed class OutageOptions
{
    /// <summary>Off: every request is sent and retried on its own, as if the registry never went down.</summary>
    public bool Enabled { get; set; } = true;

    // Defaults for "most calls fail", not "some do": a registry that fails one request in three is slow, not down, and its
    // commands are better served by their own retries than by waiting.
    public double FailureRatio { get; set; } = 0.8;
    public int MinimumThroughput { get; set; } = 20;
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long one operation waits for the registry to come back. A command still waiting then fails as retries exhausted
    /// (reported, and kept in its <c>_error</c> queue for re-drive). While it waits, its message stays unacknowledged in
    /// RabbitMQ, so a worker that dies meanwhile loses nothing.
    /// </summary>
    public TimeSpan MaxHold { get; set; } = TimeSpan.FromMinutes(5);

    public IEnumerable<string> Errors(string key)
    {
        if (FailureRatio is <= 0 or > 1 || double.IsNaN(FailureRatio))
            yield return $"{key}:FailureRatio must be above 0 and at most 1 (is {FailureRatio}).";
        if (MinimumThroughput is < 2 or > 100_000)
            yield return $"{key}:MinimumThroughput must be between 2 and 100000 (is {MinimumThroughput}).";
        if (SamplingDuration < TimeSpan.FromSeconds(1) || SamplingDuration > TimeSpan.FromHours(1))
            yield return $"{key}:SamplingDuration must be between 1 second and 1 hour.";
        if (BreakDuration < TimeSpan.FromMilliseconds(500) || BreakDuration > TimeSpan.FromMinutes(10))
            yield return $"{key}:BreakDuration must be between 500 ms and 10 minutes.";
        // RabbitMQ closes the channel of a delivery left unacknowledged for 30 minutes (consumer_timeout).
        if (MaxHold < TimeSpan.Zero || MaxHold > TimeSpan.FromMinutes(25))
            yield return $"{key}:MaxHold must be between 0 and 25 minutes, below RabbitMQ's 30-minute consumer timeout.";
    }
}
