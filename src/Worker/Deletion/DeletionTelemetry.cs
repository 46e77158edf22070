using System.Diagnostics;
using System.Diagnostics.Metrics;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Journal;
using RegistryCleaner.Worker.Observability;
using RegistryCleaner.Worker.Registries;

namespace RegistryCleaner.Worker.Deletion;

/// <summary>
/// The span and metrics of one deletion command, from receipt to its terminal outcome. Metric tags carry only
/// configured registry names and fixed vocabularies, so a hostile command cannot blow up their cardinality.
/// </summary>
public sealed class DeletionTelemetry : IDisposable
{
    public const string DeleteTag = "delete_tag";
    public const string DeleteRepository = "delete_repository";
    public const string Failed = "Failed";

    private static readonly Counter<long> Deletions = WorkerDiagnostics.Meter.CreateCounter<long>(
        "registry_cleaner.deletions", "{deletion}", "Deletion commands that reached a terminal outcome.");

    private static readonly Histogram<double> Duration = WorkerDiagnostics.Meter.CreateHistogram(
        "registry_cleaner.deletion.duration", "s", "Time from receiving a deletion command to its terminal outcome.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300] });

    private static readonly Counter<long> Retries = WorkerDiagnostics.Meter.CreateCounter<long>(
        "registry_cleaner.registry.retries", "{retry}", "Registry requests sent again after a transient answer (408, 429, 5xx, timeout, reset).");

    private static readonly UpDownCounter<long> InFlight = WorkerDiagnostics.Meter.CreateUpDownCounter<long>(
        "registry_cleaner.commands.in_flight", "{command}", "Deletion commands being handled right now.");

    private readonly Activity? _activity;
    private readonly TagList _tags;
    private readonly long _startedAt = Stopwatch.GetTimestamp();
    private bool _finished;

    private DeletionTelemetry(Activity? activity, TagList tags)
    {
        _activity = activity;
        _tags = tags;
        InFlight.Add(1, _tags);
    }

    /// <param name="client">The configured registry the command resolved to, or null when it named none.</param>
    public static DeletionTelemetry Start(DeletionTarget target, IRegistryClient? client, string? reason)
    {
        var operation = target.Tag is null ? DeleteRepository : DeleteTag;
        var tags = new TagList
        {
            { TagNames.Registry, client?.Name ?? TagNames.Unresolved },
            { TagNames.RegistryKind, client is null ? TagNames.Unresolved : RegistryKindNames.Of(client.Kind) },
            { TagNames.Operation, operation },
        };
        var activity = WorkerDiagnostics.Source.StartActivity(operation, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(TagNames.Registry, client?.Name ?? target.Registry);
            activity.SetTag(TagNames.RegistryKind, client is null ? null : RegistryKindNames.Of(client.Kind));
            activity.SetTag(TagNames.Repository, target.Repository);
            activity.SetTag(TagNames.Tag, target.Tag);
            activity.SetTag(TagNames.Operation, operation);
            activity.SetTag(TagNames.RequestId, target.RequestId.ToString());
            activity.SetTag(TagNames.RequestedBy, target.RequestedBy);
            activity.SetTag(TagNames.Reason, reason is { Length: > 256 } ? reason[..256] + "…" : reason);
            activity.SetTag(TagNames.RunId, target.RunId?.ToString());
            activity.SetTag(TagNames.Policy, target.Policy);
        }
        return new DeletionTelemetry(activity, tags);
    }

    public void Succeeded(DeletionResult result, OperationAttempts attempts)
    {
        _activity?.SetTag(TagNames.TagsDeleted, result.TagsDeleted);
        Finish(result.Outcome.ToString(), null, attempts.LastStatus, attempts);
        _activity?.SetStatus(ActivityStatusCode.Ok);
    }

    /// <param name="detail">The failure as the result event tells it; written for people and free of secrets.</param>
    public void Failure(FailureKind kind, int? status, string detail, OperationAttempts? attempts)
    {
        Finish(Failed, kind, status ?? attempts?.LastStatus, attempts);
        _activity?.SetStatus(ActivityStatusCode.Error, $"{kind}: {detail}");
    }

    public void Dispose()
    {
        InFlight.Add(-1, _tags);
        if (!_finished && _activity is not null)
        {
            // Cancelled by shutdown: no terminal outcome, the broker hands the command out again.
            _activity.SetTag(TagNames.Outcome, "Interrupted");
            _activity.SetStatus(ActivityStatusCode.Error, "Interrupted before a terminal outcome; the command is redelivered.");
        }
        _activity?.Dispose();
    }

    private void Finish(string outcome, FailureKind? kind, int? status, OperationAttempts? attempts)
    {
        _finished = true;
        var tags = _tags;
        tags.Add(TagNames.Outcome, outcome);
        if (kind is not null)
            tags.Add(TagNames.FailureKind, kind.ToString());
        Deletions.Add(1, tags);
        Duration.Record(Stopwatch.GetElapsedTime(_startedAt).TotalSeconds, tags);
        var retries = (attempts?.Attempts ?? 1) - 1;
        if (retries > 0)
            Retries.Add(retries, _tags);

        if (_activity is { IsAllDataRequested: true })
        {
            _activity.SetTag(TagNames.Outcome, outcome);
            _activity.SetTag(TagNames.FailureKind, kind?.ToString());
            _activity.SetTag(TagNames.StatusCode, status);
            _activity.SetTag(TagNames.Attempts, attempts?.Attempts ?? 0);
            _activity.SetTag(TagNames.Requests, attempts?.Requests ?? 0);
        }
    }
}
