using MassTransit;
using Microsoft.Extensions.Hosting;
using RegistryCleaner.Contracts;
using RegistryCleaner.Sandbox;

namespace RegistryCleaner.Worker.Sandbox;

/// <summary>The sample requests of the embedded run: one plain delete per kind, a transient 503, an absent tag, bad input, and a retention run.</summary>
public sealed class SandboxDemo(IBus bus, SandboxServer sandbox, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);

        // The first attempt at this one tag meets a 503, as a busy registry would answer; the retry succeeds.
        sandbox.Faults.Add(new FaultRule { Registry = "swr", Method = "DELETE", PathPattern = "/repos/web/tags/v2$", Sequence = [503] });

        Console.WriteLine($"Sandbox registries: {string.Join(", ", sandbox.RegistryNames.Order().Select(n => $"{n} at {sandbox.EndpointOf(n)}"))}");
        Console.WriteLine("Sending sample requests; each result event is printed as it arrives. Ctrl+C stops the worker.");
        var queue = await bus.GetSendEndpoint(QueueNames.Address(QueueNames.DeleteTag));
        DeleteTag[] samples =
        [
            Tag("oci", "team/app", "v1.0.0", "plain OCI delete; v1.0.0-alias shares the image and stays"),
            Tag("swr", "acme/team/web", "v1.2", "SWR, repository sent as team$web"),
            Tag("ims", "67e17426-359e-49fb-aa12-0bd1756ec240", "owner", "IMS image tag key"),
            Tag("ncr", "hello/world", "v1", "NCR, image name sent as hello%2Fworld, signed"),
            Tag("swr", "acme/web", "v2", "meets a 503 first, then succeeds"),
            Tag("oci", "team/app", "never-pushed", "already absent"),
            Tag("oci", "team/app", "../../v2", "rejected: not a valid tag"),
            Tag("https://registry.example.com", "team/app", "v1", "rejected: a URL is not a registry name"),
        ];
        foreach (var sample in samples)
            await queue.Send(sample, stoppingToken);

        await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
        var retention = await bus.GetSendEndpoint(QueueNames.Address(QueueNames.RunRetentionPolicy));
        await retention.Send(new RunRetentionPolicy { RunId = NewId.NextGuid(), Policy = "demo-cleanup", RequestedBy = "sandbox demo" }, stoppingToken);
    }

    private static DeleteTag Tag(string registry, string repository, string tag, string reason) => new()
    {
        RequestId = NewId.NextGuid(),
        Registry = registry,
        Repository = repository,
        Tag = tag,
        Reason = reason,
        RequestedBy = "sandbox demo",
    };
}
