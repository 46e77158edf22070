using System.Diagnostics;
using System.Diagnostics.Metrics;
using MassTransit;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Observability;

namespace RegistryCleaner.Worker.Retention;

/// <summary>
/// Counts retention runs as their reports leave the worker that ran them (a publish observer: no extra queue, and
/// each run is counted once, by that worker). Policy and registry tags carry only configured names.
/// </summary>
public sealed class RetentionRunMetrics(RetentionPolicies? policies = null) : IPublishObserver
{
    private static readonly Counter<long> Runs = WorkerDiagnostics.Meter.CreateCounter<long>(
        "registry_cleaner.retention.runs", "{run}", "Retention runs that finished, by status (Completed, Aborted, Failed).");

    private static readonly Counter<long> Scanned = WorkerDiagnostics.Meter.CreateCounter<long>(
        "registry_cleaner.retention.tags.scanned", "{tag}", "Tags retention runs listed and planned.");

    private static readonly Counter<long> Condemned = WorkerDiagnostics.Meter.CreateCounter<long>(
        "registry_cleaner.retention.tags.condemned", "{tag}", "Tags retention runs planned to delete (dry runs included, tagged).");

    private static readonly Counter<long> Sent = WorkerDiagnostics.Meter.CreateCounter<long>(
        "registry_cleaner.retention.deletions.sent", "{command}", "DeleteTag commands retention runs sent.");

    public Task PrePublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;

    public Task PostPublish<T>(PublishContext<T> context) where T : class
    {
        if (context.Message is RetentionRunCompleted run)
            Record(run);
        return Task.CompletedTask;
    }

    public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;

    private void Record(RetentionRunCompleted run)
    {
        var configured = policies is not null && policies.TryGet(run.Policy, out _);
        var tags = new TagList
        {
            { TagNames.Policy, configured ? run.Policy : TagNames.Unresolved },
            { TagNames.Registry, configured && run.Registry.Length > 0 ? run.Registry : TagNames.Unresolved },
            { TagNames.DryRun, run.DryRun },
        };
        var runTags = tags;
        runTags.Add(TagNames.RunStatus, run.Status.ToString());
        Runs.Add(1, runTags);
        Scanned.Add(run.TagsScanned, tags);
        Condemned.Add(run.TagsToDelete, tags);
        Sent.Add(run.DeletionsSent, tags);
    }
}
