
namespace RegistryCleaner.Worker.Registries.Http;

/// <summary>Exponential backoff with full jitter, unless the registry said when to come back.</summary>
public static class RetryDelay
{
    public static TimeSpan For(HttpResponseMessage? response, int attemptNumber, RetryOptions options, TimeProvider time)
    {
        if (RetryAfter(response, time) is { } retryAfter)
            return retryAfter > options.MaxRetryAfter ? options.MaxRetryAfter : retryAfter;

        var ceiling = options.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attemptNumber, 20));
        var capped = Math.Min(ceiling, options.MaxDelay.TotalMilliseconds);
        // Half fixed, half random: spreads a burst of retries without ever retrying at once.
        return TimeSpan.FromMilliseconds(capped / 2 + Random.Shared.NextDouble() * capped / 2);
    }

    public static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeProvider time)
    {
        var header = response?.Headers.RetryAfter;
        if (header?.Delta is { } delta)
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }
}
