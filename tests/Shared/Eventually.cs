namespace RegistryCleaner.Testing;

/// <summary>
/// Waits for what a test expects (an event recorded, a state reached) by checking it until it holds, and fails with a
/// description when the bound runs out: a test waits on the thing itself, never on a fixed sleep.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(20), LongestPoll = TimeSpan.FromMilliseconds(250);

    /// <summary>The first non-null value of <paramref name="probe"/>.</summary>
    public static async Task<T> FoundAsync<T>(Func<T?> probe, TimeSpan? bound = null, Func<string>? describe = null) where T : class
    {
        T? found = null;
        await TrueAsync(() => (found = probe()) is not null, bound, describe ?? (() => $"no {typeof(T).Name} arrived"));
        return found!;
    }

    public static async Task<T> FoundAsync<T>(Func<Task<T?>> probe, TimeSpan? bound = null, Func<string>? describe = null) where T : class
    {
        T? found = null;
        await TrueAsync(async () => (found = await probe()) is not null, bound, describe ?? (() => $"no {typeof(T).Name} arrived"));
        return found!;
    }

    public static Task TrueAsync(Func<bool> condition, TimeSpan? bound = null, Func<string>? describe = null) =>
        TrueAsync(() => Task.FromResult(condition()), bound, describe);

    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan? bound = null, Func<string>? describe = null)
    {
        var limit = bound ?? Bound;
        using var timeout = new CancellationTokenSource(limit);
        // Checked often at first, for what comes quickly, then less often, for what is checked against a server.
        using var ticks = new PeriodicTimer(FirstPoll);
        while (!await condition())
        {
            try
            {
                await ticks.WaitForNextTickAsync(timeout.Token);
                ticks.Period = TimeSpan.FromTicks(Math.Min(ticks.Period.Ticks * 2, LongestPoll.Ticks));
            }
            catch (OperationCanceledException)
            {
                if (await condition())
                    return;
                throw new TimeoutException($"Not within {limit.TotalSeconds:F0} s: {describe?.Invoke() ?? "the condition did not hold"}");
            }
        }
    }
}
