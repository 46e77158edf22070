using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace RegistryCleaner.Testing;

/// <summary>
/// A fake clock that also tells which waits have been scheduled on it. A test moves it only once the wait it means to end
/// is scheduled: a wait scheduled after the move would be timed from the moved clock, and the test would prove nothing.
/// </summary>
public sealed class WatchedClock : FakeTimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _scheduled = new();

    public WatchedClock()
    {
    }

    public WatchedClock(DateTimeOffset start) : base(start)
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        // Recorded once the timer is set, so that a test that sees it and moves the clock also moves it past the timer.
        _scheduled.Enqueue(dueTime);
        return timer;
    }

    /// <summary>Waits, within the usual bound, until a wait of a length that <paramref name="length"/> accepts is scheduled.</summary>
    public Task ScheduledAsync(Func<TimeSpan, bool> length, string what) =>
        Eventually.TrueAsync(() => _scheduled.Any(length),
            describe: () => $"{what} was never scheduled (scheduled: {string.Join(", ", _scheduled)})");
}
