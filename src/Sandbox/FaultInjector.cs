using System.Text.RegularExpressions;

namespace RegistryCleaner.Sandbox;

internal enum FaultKind { None, Status, Drop, GatewayNotFound, Redirect }

internal readonly record struct FaultDecision(FaultKind Kind, int Status, int? RetryAfterSeconds, TimeSpan Delay, string? ErrorCode = null, string? RedirectTo = null)
{
    public static readonly FaultDecision None = new(FaultKind.None, 0, null, TimeSpan.Zero);
}

public sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private ActiveRule[] _rules = [];

    public void Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        lock (_gate) _rules = [.. _rules, new ActiveRule(rule)];
    }

    public void Clear()
    {
        lock (_gate) _rules = [];
    }

    public IReadOnlyList<FaultRule> Rules => Array.ConvertAll(Volatile.Read(ref _rules), r => r.Rule);

    /// <summary>Decides what happens to one request; consumes one step of every matching sequence rule until one fires.</summary>
    internal FaultDecision Decide(string registry, string method, string rawPath)
    {
        var rules = Volatile.Read(ref _rules);
        if (rules.Length == 0) return FaultDecision.None;

        var delay = TimeSpan.Zero;
        FaultDecision? fired = null;
        foreach (var active in rules)
        {
            if (!active.Matches(registry, method, rawPath)) continue;
            delay += active.NextDelay();
            if (fired is null && active.TryFire(out var decision)) fired = decision;
        }
        return (fired ?? FaultDecision.None) with { Delay = delay };
    }

    private sealed class ActiveRule(FaultRule rule)
    {
        private readonly Regex? _path = rule.PathPattern is null
            ? null
            : new Regex(rule.PathPattern, RegexOptions.CultureInvariant | RegexOptions.Compiled);
        private int _position = -1;

        public FaultRule Rule { get; } = rule;

        public bool Matches(string registry, string method, string rawPath) =>
            (Rule.Registry is null || string.Equals(Rule.Registry, registry, StringComparison.Ordinal))
            && (Rule.Method is null || string.Equals(Rule.Method, method, StringComparison.OrdinalIgnoreCase))
            && (_path is null || _path.IsMatch(rawPath));

        public TimeSpan NextDelay() =>
            Rule.Jitter <= TimeSpan.Zero
                ? Rule.Latency
                : Rule.Latency + Rule.Jitter * Random.Shared.NextDouble();

        public bool TryFire(out FaultDecision decision)
        {
            decision = FaultDecision.None;
            int status;
            if (Rule.Sequence is { } sequence)
            {
                var index = Interlocked.Increment(ref _position);
                if (index >= sequence.Count) return false;
                status = sequence[index];
            }
            else if (Rule.GatewayNotFound && Rule.Probability <= 0)
            {
                status = 404;
            }
            else if (Rule.Probability > 0 && Random.Shared.NextDouble() < Rule.Probability)
            {
                status = Rule.Status;
            }
            else
            {
                return false;
            }

            var kind = status == 0 ? FaultKind.Drop
                : Rule.GatewayNotFound ? FaultKind.GatewayNotFound
                : Rule.RedirectTo is not null ? FaultKind.Redirect
                : FaultKind.Status;
            decision = new FaultDecision(kind, kind == FaultKind.GatewayNotFound ? 404 : status, Rule.RetryAfterSeconds, TimeSpan.Zero, Rule.ErrorCode, Rule.RedirectTo);
            return true;
        }
    }
}
