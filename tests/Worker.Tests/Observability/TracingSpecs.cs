using System.Diagnostics;
using RegistryCleaner.Contracts;
using RegistryCleaner.Sandbox;
using RegistryCleaner.Worker.Deletion;
using RegistryCleaner.Worker.Observability;
using RegistryCleaner.Worker.Tests.Observability.Support;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Observability;

public sealed class TracingSpecs : IAsyncLifetime
{
    private const string Registry = "oci-traced";
    private SandboxServer _sandbox = null!;
    private ObservedWorker _worker = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync(new SandboxSeed { Registries = [Sandboxes.Oci("oci")] });
        _worker = await ObservedWorker.StartAsync(Sandboxes.Merge(
            Sandboxes.Settings(_sandbox, "oci", Registry, "Oci"),
            new()
            {
                ["Retention:Policies:traced-every-second:Registry"] = Registry,
                ["Retention:Policies:traced-every-second:Repositories:Include:0"] = "team/app",
                ["Retention:Policies:traced-every-second:KeepNewest"] = "2",
                ["Retention:Policies:traced-every-second:DryRun"] = "true",
                ["Retention:Policies:traced-every-second:Schedule"] = "0/1 * * * * ?",
            }));
    }

    [Fact]
    public async Task One_trace_runs_from_the_send_through_the_message_headers_and_the_consumer_to_every_registry_request()
    {
        var command = Command("v1");
        await _worker.SendAsync(QueueNames.DeleteTag, command);
        Assert.IsType<DeletionSucceeded>(await _worker.ResultAsync(command.RequestId));
        _worker.Flush();

        var operation = RegistrySpan(command.RequestId);
        var trace = _worker.Spans.Trace(operation.TraceId);
        var send = Assert.Single(trace, s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Producer && s.ParentSpanId == default);
        var process = Assert.Single(trace, s => s.Source.Name == "MassTransit" && (string?)s.GetTagItem("messaging.operation") == "process");
        Assert.True(IsDescendant(process, send, trace));
        Assert.Equal(process.SpanId, operation.ParentSpanId);

        // The context crossed the transport in the message's headers, as it does over RabbitMQ.
        var sent = Assert.Single(_worker.Messages.Messages, m => m.Message is DeleteTag t && t.RequestId == command.RequestId);
        Assert.Contains($"MT-Activity-Id=00-{send.TraceId}-{send.SpanId}-01", sent.Headers);

        var http = trace.Where(s => s.Source.Name == "System.Net.Http").ToList();
        Assert.Contains(http, s => (string?)s.GetTagItem("http.request.method") == "DELETE" && (int?)s.GetTagItem("http.response.status_code") == 202);
        Assert.All(http, s => Assert.Equal(operation.SpanId, s.ParentSpanId));
        Assert.All(http, s => Assert.Equal(Registry, s.GetTagItem(TagNames.Registry)));
    }

    [Fact]
    public async Task The_registry_span_names_registry_kind_repository_tag_outcome_status_and_attempts()
    {
        _sandbox.Faults.Add(new FaultRule { Registry = "oci", Method = "DELETE", PathPattern = "/manifests/sha256:", Sequence = [503] });
        var command = Command("v2");
        await _worker.SendAsync(QueueNames.DeleteTag, command);
        Assert.IsType<DeletionSucceeded>(await _worker.ResultAsync(command.RequestId));
        _worker.Flush();

        var span = RegistrySpan(command.RequestId);
        Assert.Equal(DeletionTelemetry.DeleteTag, span.DisplayName);
        Assert.Equal(Registry, span.GetTagItem(TagNames.Registry));
        Assert.Equal("oci", span.GetTagItem(TagNames.RegistryKind));
        Assert.Equal("team/app", span.GetTagItem(TagNames.Repository));
        Assert.Equal("v2", span.GetTagItem(TagNames.Tag));
        Assert.Equal("Deleted", span.GetTagItem(TagNames.Outcome));
        Assert.Equal(202, span.GetTagItem(TagNames.StatusCode));
        Assert.Equal(2, span.GetTagItem(TagNames.Attempts));
        Assert.Equal("ci-pipeline", span.GetTagItem(TagNames.RequestedBy));
        Assert.Equal("trace spec", span.GetTagItem(TagNames.Reason));
        Assert.Equal(ActivityStatusCode.Ok, span.Status);
        var deletes = _worker.Spans.Trace(span.TraceId).Where(s => (string?)s.GetTagItem("http.request.method") == "DELETE" && ((string?)s.GetTagItem("url.full"))!.Contains("sha256:")).ToList();
        var statuses = deletes.OrderBy(s => s.StartTimeUtc).Select(s => (int?)s.GetTagItem("http.response.status_code")).ToList();
        Assert.Equal(503, statuses[0]);
        Assert.Equal(202, statuses[^1]);
    }

    [Fact]
    public async Task A_failed_or_rejected_command_ends_its_span_in_error_with_the_failure_kind()
    {
        var rejected = Command("../../v1");
        var unknown = Command("v1") with { Registry = "nowhere" };
        await _worker.SendAsync(QueueNames.DeleteTag, rejected);
        await _worker.SendAsync(QueueNames.DeleteTag, unknown);
        await _worker.ResultAsync(rejected.RequestId);
        await _worker.ResultAsync(unknown.RequestId);
        _worker.Flush();

        var rejectedSpan = RegistrySpan(rejected.RequestId);
        Assert.Equal(ActivityStatusCode.Error, rejectedSpan.Status);
        Assert.Equal("Failed", rejectedSpan.GetTagItem(TagNames.Outcome));
        Assert.Equal(nameof(FailureKind.Rejected), rejectedSpan.GetTagItem(TagNames.FailureKind));
        Assert.Equal(0, rejectedSpan.GetTagItem(TagNames.Attempts));
        Assert.DoesNotContain(_worker.Spans.Trace(rejectedSpan.TraceId), s => s.Source.Name == "System.Net.Http");
        Assert.Equal(nameof(FailureKind.UnknownRegistry), RegistrySpan(unknown.RequestId).GetTagItem(TagNames.FailureKind));
    }

    [Fact]
    public async Task A_scheduled_retention_run_is_one_trace_from_the_Quartz_firing_to_the_registry_listing()
    {
        var report = await Eventually.FoundAsync(() => _worker.Messages.Published<RetentionRunCompleted>().FirstOrDefault());
        Assert.Equal(RetentionRunStatus.Completed, report.Status);
        _worker.Flush();

        var command = Assert.Single(_worker.Messages.Messages, m => m.Message is RunRetentionPolicy r && r.RunId == report.RunId);
        var traceId = command.Headers.Single(h => h.StartsWith("MT-Activity-Id=", StringComparison.Ordinal)).Split('=')[1].Split('-')[1];
        var trace = _worker.Spans.Trace(ActivityTraceId.CreateFromString(traceId));
        var firing = Assert.Single(trace, s => s.Source.Name == WorkerDiagnostics.Quartz && s.ParentSpanId == default);
        Assert.Contains(trace, s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Consumer && s.DisplayName.StartsWith(QueueNames.RunRetentionPolicy, StringComparison.Ordinal));
        Assert.Contains(trace, s => s.Source.Name == "System.Net.Http" && (string?)s.GetTagItem(TagNames.Registry) == Registry && IsDescendant(s, firing, trace));
    }

    private Activity RegistrySpan(Guid requestId) =>
        Assert.Single(_worker.Spans.Spans, s => s.Source.Name == WorkerDiagnostics.Name && (string?)s.GetTagItem(TagNames.RequestId) == requestId.ToString());

    private static bool IsDescendant(Activity span, Activity ancestor, IReadOnlyList<Activity> trace)
    {
        for (Activity? current = span; current is not null; current = trace.FirstOrDefault(s => s.SpanId == current.ParentSpanId))
        {
            if (current.SpanId == ancestor.SpanId)
                return true;
        }
        return false;
    }

    private static DeleteTag Command(string tag) => new()
    {
        RequestId = Guid.NewGuid(),
        Registry = Registry,
        Repository = "team/app",
        Tag = tag,
        Reason = "trace spec",
        RequestedBy = "ci-pipeline",
    };

    public async Task DisposeAsync()
    {
        await _worker.DisposeAsync();
        await _sandbox.DisposeAsync();
    }
}
