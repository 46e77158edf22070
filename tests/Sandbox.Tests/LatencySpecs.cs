using System.Net;

namespace RegistryCleaner.Sandbox.Tests;

public sealed class LatencySpecs
{
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(500), Jitter = TimeSpan.FromMilliseconds(50);

    [Fact]
    public async Task Latency_delays_matching_requests_only()
    {
        var clock = new WatchedClock();
        await using var server = await SandboxServer.StartAsync(new SandboxSeed { Registries = [TestSeeds.Oci()] }, clock);
        using var http = Http.Client(server, "oci");
        server.Faults.Add(new FaultRule { Registry = "oci", PathPattern = "^/v2/$", Latency = Latency, Jitter = Jitter });

        var slow = http.GetAsync("/v2/");
        await clock.ScheduledAsync(wait => wait >= Latency && wait < Latency + Jitter, "the injected latency");

        // Short of the latency the matching request is held, while a request the rule does not match, sent later, is answered.
        clock.Advance(Latency - TimeSpan.FromTicks(1));
        using (var fast = await http.GetAsync("/v2/_catalog").WaitAsync(Eventually.Bound))
            Assert.Equal(HttpStatusCode.OK, fast.StatusCode);
        Assert.DoesNotContain(server.Requests.Snapshot("oci"), r => r.RawPath == "/v2/");
        Assert.False(slow.IsCompleted);

        // Past the latency and its whole jitter, it is answered.
        clock.Advance(Jitter + TimeSpan.FromTicks(1));
        using var answered = await slow.WaitAsync(Eventually.Bound);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
    }

    [Fact]
    public async Task Disposing_ends_pending_injected_latency()
    {
        var server = await TestSeeds.Start(TestSeeds.Oci());
        server.Faults.Add(new FaultRule { Latency = TimeSpan.FromMinutes(5) });
        using var http = Http.Client(server, "oci");
        using var active = new ActiveRequests();
        var pending = http.GetAsync("/v2/");
        await active.StartedAsync();

        // Well within the five minutes of latency.
        await server.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        await Assert.ThrowsAsync<HttpRequestException>(() => pending);
    }
}
