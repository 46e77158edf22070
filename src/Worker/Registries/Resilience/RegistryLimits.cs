using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RegistryCleaner.Worker.Registries.Resilience;

/// <summary>
/// How hard one worker process may press one registry: <c>Registries:&lt;name&gt;:MaxConcurrency</c> requests at a time,
/// at most <c>RequestsPerSecond</c> of them (unset: no rate limit), and what to do while it is down (<see cref="OutageOptions"/>).
/// Limits are per process: N workers send up to N times as much.
/// </summary>
public sealed record RegistryLimits(int MaxConcurrency, double? RequestsPerSecond, OutageOptions Outage)
{
    public const double MaxRequestsPerSecond = 10_000;

    public RegistryLimits(int maxConcurrency) : this(maxConcurrency, null, new OutageOptions())
    {
    }

    /// <summary>Where the registry's outages are reported (it going down, and coming back).</summary>
    public ILogger Log { get; init; } = NullLogger.Instance;

    /// <summary>The clock that times the registry's retry delays, attempt timeouts and outages.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public static IEnumerable<string> Errors(string key, double? requestsPerSecond, OutageOptions outage)
    {
        if (requestsPerSecond is { } rate && (double.IsNaN(rate) || rate < 0.01 || rate > MaxRequestsPerSecond))
            yield return $"{key}:RequestsPerSecond must be between 0.01 and {MaxRequestsPerSecond} (is {rate}); leave it unset for no limit.";
        foreach (var error in outage.Errors($"{key}:Outage"))
            yield return error;
    }

    /// <summary>
    /// A token bucket refilled evenly: one token every 1/rate seconds, or k tokens every k/rate seconds above 50 per second
    /// (so the timer ticks at most every 20 ms). The bucket holds k tokens, so any one-second window sees at most rate + k requests.
    /// </summary>
    public RateLimiter? CreateRateLimiter()
    {
        if (RequestsPerSecond is not { } rate)
            return null;
        var tokens = (int)Math.Ceiling(rate / 50);
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = tokens,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = TimeSpan.FromSeconds(tokens / rate),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }
}
