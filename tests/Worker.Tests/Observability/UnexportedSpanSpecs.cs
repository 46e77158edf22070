using RegistryCleaner.Contracts;
using RegistryCleaner.Sandbox;
using RegistryCleaner.Worker.Tests.Observability.Support;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Observability;

/// <summary>With no exporter configured, spans are not recorded, yet trace context still travels and reaches the logs.</summary>
/// <remarks>Alone: activity listeners are process-wide, so a recording worker in a parallel test would record these spans too.</remarks>
[Collection(nameof(UnexportedSpanSpecs))]
public sealed class UnexportedSpanSpecs : IAsyncLifetime
{
    private SandboxServer _sandbox = null!;
    private ObservedWorker _worker = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync(new SandboxSeed { Registries = [Sandboxes.Oci("oci")] });
        var settings = Sandboxes.Settings(_sandbox, "oci", "oci", "Oci");
        settings["Telemetry:RecordSpans"] = "false";
        _worker = await ObservedWorker.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await _worker.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task Nothing_is_recorded_but_the_message_headers_and_log_lines_carry_the_trace()
    {
        var command = new DeleteTag { RequestId = Guid.NewGuid(), Registry = "oci", Repository = "team/app", Tag = "v2" };
        await _worker.SendAsync(QueueNames.DeleteTag, command);

        Assert.IsType<DeletionSucceeded>(await _worker.ResultAsync(command.RequestId));
        _worker.Flush();
        Assert.Empty(_worker.Spans.Spans);
        var sent = Assert.Single(_worker.Messages.Messages, m => m.Message is DeleteTag t && t.RequestId == command.RequestId);
        var traceHeader = Assert.Single(sent.Headers, h => h.StartsWith("MT-Activity-Id=00-", StringComparison.Ordinal));
        var traceId = traceHeader.Split('-')[3];
        Assert.Matches("^[0-9a-f]{32}$", traceId);
        Assert.Contains(_worker.Logs.Lines, l => l.Values.Contains($"TraceId={traceId}") && l.Category.StartsWith("RegistryCleaner", StringComparison.Ordinal));
    }
}

[CollectionDefinition(nameof(UnexportedSpanSpecs), DisableParallelization = true)]
public sealed class UnexportedSpanCollection;
