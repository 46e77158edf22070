using RegistryCleaner.Contracts;
using RegistryCleaner.Sandbox;
using RegistryCleaner.Worker.Tests.Observability.Support;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Observability;

public sealed class TelemetryExportSpecs : IAsyncLifetime
{
    private SandboxServer _sandbox = null!;
    private OtlpReceiver _collector = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync(new SandboxSeed { Registries = [Sandboxes.Oci("oci")] });
        _collector = await OtlpReceiver.StartAsync();
    }

    [Fact]
    public async Task Spans_metrics_and_logs_go_to_the_collector_named_by_OTEL_EXPORTER_OTLP_ENDPOINT()
    {
        var settings = Sandboxes.Settings(_sandbox, "oci", "oci-exported", "Oci");
        settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = _collector.Endpoint.AbsoluteUri;
        settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        settings["OTEL_SERVICE_NAME"] = "cleaner-under-test";
        await using var worker = await ObservedWorker.StartAsync(settings);
        var command = new DeleteTag { RequestId = Guid.NewGuid(), Registry = "oci-exported", Repository = "team/app", Tag = "v1" };
        await worker.SendAsync(QueueNames.DeleteTag, command);
        await worker.ResultAsync(command.RequestId);
        worker.Flush();

        var traces = string.Concat(_collector.Exports.Where(e => e.Path == "/v1/traces").Select(e => e.Text));
        var metrics = string.Concat(_collector.Exports.Where(e => e.Path == "/v1/metrics").Select(e => e.Text));
        var logs = string.Concat(_collector.Exports.Where(e => e.Path == "/v1/logs").Select(e => e.Text));
        Assert.Contains("cleaner-under-test", traces);
        Assert.Contains("delete_tag", traces);
        Assert.Contains(command.RequestId.ToString(), traces);
        Assert.Contains("registry_cleaner.deletions", metrics);
        Assert.Contains("registry_cleaner.registry.request.duration", metrics);
        Assert.Contains(command.RequestId.ToString(), logs); // the outcome line
    }

    [Fact]
    public async Task Without_OTEL_EXPORTER_OTLP_ENDPOINT_nothing_is_sent_anywhere()
    {
        await using var worker = await ObservedWorker.StartAsync(Sandboxes.Settings(_sandbox, "oci", "oci-unexported", "Oci"));
        var command = new DeleteTag { RequestId = Guid.NewGuid(), Registry = "oci-unexported", Repository = "team/app", Tag = "v2" };
        await worker.SendAsync(QueueNames.DeleteTag, command);
        await worker.ResultAsync(command.RequestId);
        worker.Flush();

        Assert.Empty(_collector.Exports);
        Assert.Contains(worker.Spans.Spans, s => s.DisplayName == "delete_tag"); // still traced, for the context in message headers
    }

    public async Task DisposeAsync()
    {
        await _collector.DisposeAsync();
        await _sandbox.DisposeAsync();
    }
}
