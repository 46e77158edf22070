using System.Net;

namespace RegistryCleaner.Sandbox.Tests;

public sealed class LatencySpecs
{
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(500), Jitter = TimeSpan.FromMilliseconds(50);

    [Fact]
    public async Task Latency_delays_matching_requests_only()
    {
        var clock = new WatchedClock();
        await using var server = await TestSeeds.Start(clock, TestSeeds.Oci());
        using var http = Http.Client(server, "oci");
        server.Faults.Add(new FaultRule { Registry = "oci", PathPattern = "^/v2/$", Latency = Latency, Jitter = Jitter });

        var slow = http.GetAsync("/v2/");
        await clock.ScheduledAsync(wait => wait >= Latency && wait <= Latency + Jitter, "the injected latency");

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
        var clock = new WatchedClock();
        var server = await TestSeeds.Start(clock, TestSeeds.Oci());
        server.Faults.Add(new FaultRule { Latency = TimeSpan.FromMinutes(5) });
        using var http = Http.Client(server, "oci");
        var pending = http.GetAsync("/v2/");
        await clock.ScheduledAsync(wait => wait == TimeSpan.FromMinutes(5), "the injected latency");

        // The clock never reaches the five minutes: only the disposal ends the wait.
        await server.DisposeAsync().AsTask().WaitAsync(Eventually.Bound);
        await Assert.ThrowsAsync<HttpRequestException>(() => pending);
    }
}
