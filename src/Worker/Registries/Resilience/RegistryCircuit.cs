using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;

namespace RegistryCleaner.Worker.Registries.Resilience;

/// <summary>
/// One registry's health, as Polly's circuit breaker judges it from the answers to every attempt. While it is open the
/// registry counts as down: callers wait in <see cref="WaitAsync"/> rather than sending or retrying, and are woken as soon
/// as a probe succeeds and the circuit closes again.
/// </summary>
public sealed class RegistryCircuit
{
    private readonly string _registry;
    private readonly OutageOptions _options;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly CircuitBreakerStateProvider _state = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _closed = Closed();
    private long _openedAt;

    public RegistryCircuit(string registry, OutageOptions options, ILogger log, TimeProvider time)
    {
        _registry = registry;
        _options = options;
        _log = log;
        _time = time;
    }

    /// <summary>True while the registry counts as down (open, or half-open with a probe under way).</summary>
    public bool IsDown => _options.Enabled && _state.CircuitState != CircuitState.Closed;

    /// <summary>The breaker, to be placed inside the retry so that it judges every attempt.</summary>
    public CircuitBreakerStrategyOptions<HttpResponseMessage> Strategy(Func<Outcome<HttpResponseMessage>, CancellationToken, bool> isFailure) => new()
    {
        FailureRatio = _options.FailureRatio,
        MinimumThroughput = _options.MinimumThroughput,
        SamplingDuration = _options.SamplingDuration,
        BreakDuration = _options.BreakDuration,
        StateProvider = _state,
        ShouldHandle = args => ValueTask.FromResult(isFailure(args.Outcome, args.Context.CancellationToken)),
        OnOpened = args =>
        {
            Opened(args.BreakDuration);
            return ValueTask.CompletedTask;
        },
        OnClosed = _ =>
        {
            Recovered();
            return ValueTask.CompletedTask;
        },
    };

    /// <summary>Whether an attempt's outcome means "the registry is down, wait" rather than an answer for the caller.</summary>
    public bool Blocks(Outcome<HttpResponseMessage> outcome, bool transient) =>
        _options.Enabled && (outcome.Exception is BrokenCircuitException || (transient && IsDown));

    /// <summary>Waits until the circuit closes, the next probe is due, or <paramref name="limit"/> passes.</summary>
    public async Task WaitAsync(Outcome<HttpResponseMessage> outcome, TimeSpan limit, CancellationToken ct)
    {
        Task closed;
        lock (_gate)
            closed = _closed.Task;
        if (!IsDown)
            return;
        // Until the next probe is due; while a probe is under way (no time left to wait for), a whole break or its answer.
        var probeDue = (outcome.Exception as BrokenCircuitException)?.RetryAfter is { } retryAfter && retryAfter > TimeSpan.Zero
            ? retryAfter
            : _options.BreakDuration;
        var wait = TimeSpan.FromTicks(Math.Clamp(probeDue.Ticks, 0, Math.Max(limit.Ticks, 0)));
        // A few milliseconds late, so that the first waiter to wake finds the break over and becomes the probe.
        await Task.WhenAny(closed, Task.Delay(wait + TimeSpan.FromMilliseconds(10), _time, ct));
        ct.ThrowIfCancellationRequested();
    }

    private void Opened(TimeSpan breakDuration)
    {
        lock (_gate)
        {
            if (_closed.Task.IsCompleted)
            {
                _closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _openedAt = _time.GetTimestamp();
                _log.LogWarning("Registry {Registry} keeps failing: its work waits, and one request probes it every {BreakSeconds} s",
                    _registry, breakDuration.TotalSeconds);
            }
        }
    }

    private void Recovered()
    {
        lock (_gate)
        {
            if (_closed.Task.IsCompleted)
                return;
            _log.LogWarning("Registry {Registry} answers again after {DownSeconds:F0} s: its waiting work continues",
                _registry, _time.GetElapsedTime(_openedAt).TotalSeconds);
            _closed.TrySetResult();
        }
    }

    private static TaskCompletionSource Closed()
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.SetResult();
        return source;
    }
}
