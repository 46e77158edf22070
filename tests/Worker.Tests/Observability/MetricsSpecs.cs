using RegistryCleaner.Contracts;
using RegistryCleaner.Sandbox;
using RegistryCleaner.Worker.Deletion;
using RegistryCleaner.Worker.Observability;
using RegistryCleaner.Worker.Tests.Observability.Support;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Observability;

/// <summary>Instruments are process-wide, so every assertion filters on this class's own registry and policy names.</summary>
public sealed class MetricsSpecs : IAsyncLifetime
{
    private const string Registry = "oci-metered";
    private const string Policy = "metered";
    private SandboxServer _sandbox = null!;
    private ObservedWorker _worker = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync(new SandboxSeed { Registries = [Sandboxes.Oci("oci")] });
        _worker = await ObservedWorker.StartAsync(Sandboxes.Merge(
            Sandboxes.Settings(_sandbox, "oci", Registry, "Oci"),
            new()
            {
                [$"Retention:Policies:{Policy}:Registry"] = Registry,
                [$"Retention:Policies:{Policy}:Repositories:Include:0"] = "team/app",
                [$"Retention:Policies:{Policy}:KeepNewest"] = "2",
                [$"Retention:Policies:{Policy}:DryRun"] = "true",
            }));
    }

    [Fact]
    public async Task Deletions_are_counted_by_registry_outcome_and_failure_kind_with_their_retries_and_request_durations()
    {
        _sandbox.Faults.Add(new FaultRule { Registry = "oci", Method = "GET", PathPattern = "/manifests/v2$", Sequence = [503] });
        _sandbox.Faults.Add(new FaultRule { Registry = "oci", Method = "GET", PathPattern = "/manifests/v3$", Sequence = [503, 503, 503] });
        var commands = new[] { Command("v1"), Command("v1"), Command("v2"), Command("v3"), Command("../v4"), Command("v4") with { Registry = "nowhere-metered" } };
        foreach (var command in commands)
        {
            await _worker.SendAsync(QueueNames.DeleteTag, command);
            await _worker.ResultAsync(command.RequestId); // one at a time: the second v1 must find it gone
        }

        var m = _worker.Metrics;
        Assert.Equal(2, Deletions(("registry_cleaner.outcome", "Deleted")));
        Assert.Equal(1, Deletions(("registry_cleaner.outcome", "AlreadyAbsent")));
        Assert.Equal(1, Deletions(("registry_cleaner.outcome", "Failed"), (TagNames.FailureKind, nameof(FailureKind.RetriesExhausted))));
        Assert.Equal(1, Deletions(("registry_cleaner.outcome", "Failed"), (TagNames.FailureKind, nameof(FailureKind.Rejected))));
        Assert.True(m.Sum("registry_cleaner.deletions", (TagNames.Registry, TagNames.Unresolved), (TagNames.FailureKind, nameof(FailureKind.UnknownRegistry))) >= 1);
        Assert.DoesNotContain(m.Collect(), p => p.Tags.Values.Contains("nowhere-metered"));
        Assert.Equal(5, m.Sum("registry_cleaner.deletion.duration", (TagNames.Registry, Registry)));

        Assert.Equal(1 + 2, m.Sum("registry_cleaner.registry.retries", (TagNames.Registry, Registry)));
        Assert.Equal(4, m.Sum("registry_cleaner.registry.request.duration", (TagNames.Registry, Registry), (TagNames.StatusClass, "5xx"), (TagNames.Method, "GET")));
        var ok = Assert.Single(m.Collect(), p => p.Name == "registry_cleaner.registry.request.duration" && Tagged(p, Registry, "2xx", "DELETE"));
        Assert.True(ok.Value >= 2 && ok.HistogramSum > 0);
        Assert.Equal(0, m.Sum("registry_cleaner.commands.in_flight", (TagNames.Registry, Registry)));
    }

    [Fact]
    public async Task Commands_in_flight_rise_while_a_registry_is_slow_and_fall_when_it_answers()
    {
        _sandbox.Faults.Add(new FaultRule { Registry = "oci", Method = "GET", PathPattern = "/manifests/v5$", Latency = TimeSpan.FromSeconds(2) });
        var command = Command("v5");
        await _worker.SendAsync(QueueNames.DeleteTag, command);

        await Eventually.TrueAsync(() => InFlight() > 0, TimeSpan.FromSeconds(10), () => "no command was counted in flight");
        Assert.Equal(1, InFlight());
        await _worker.ResultAsync(command.RequestId);
        Assert.Equal(0, InFlight());
    }

    [Fact]
    public async Task A_retention_run_is_counted_with_the_tags_it_scanned_and_condemned()
    {
        var runId = Guid.NewGuid();
        await _worker.SendAsync(QueueNames.RunRetentionPolicy, new RunRetentionPolicy { RunId = runId, Policy = Policy, RequestedBy = "metrics spec" });
        var report = await _worker.RunReportAsync(runId);
        Assert.True(report.TagsToDelete > 0);

        var m = _worker.Metrics;
        Assert.Equal(1, m.Sum("registry_cleaner.retention.runs", (TagNames.Policy, Policy), (TagNames.Registry, Registry), (TagNames.RunStatus, "Completed"), (TagNames.DryRun, true)));
        Assert.Equal(report.TagsScanned, m.Sum("registry_cleaner.retention.tags.scanned", (TagNames.Policy, Policy)));
        Assert.Equal(report.TagsToDelete, m.Sum("registry_cleaner.retention.tags.condemned", (TagNames.Policy, Policy)));
        Assert.Equal(0, m.Sum("registry_cleaner.retention.deletions.sent", (TagNames.Policy, Policy)));
    }

    private double Deletions(params (string Key, object? Value)[] tags) =>
        _worker.Metrics.Sum("registry_cleaner.deletions", [(TagNames.Registry, Registry), (TagNames.Operation, DeletionTelemetry.DeleteTag), .. tags]);

    private double InFlight() => _worker.Metrics.Sum("registry_cleaner.commands.in_flight", (TagNames.Registry, Registry));

    private static bool Tagged(MetricValue point, string registry, string statusClass, string method) =>
        Equals(point.Tags.GetValueOrDefault(TagNames.Registry), registry) && Equals(point.Tags.GetValueOrDefault(TagNames.StatusClass), statusClass)
        && Equals(point.Tags.GetValueOrDefault(TagNames.Method), method);

    private static DeleteTag Command(string tag) => new()
    {
        RequestId = Guid.NewGuid(),
        Registry = Registry,
        Repository = "team/app",
        Tag = tag,
        RequestedBy = "metrics spec",
    };

    public async Task DisposeAsync()
    {
        await _worker.DisposeAsync();
        await _sandbox.DisposeAsync();
    }
}
