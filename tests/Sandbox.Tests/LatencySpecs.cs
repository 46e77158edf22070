using System.Diagnostics;
using System.Net;

namespace RegistryCleaner.Sandbox.Tests;

[CollectionDefinition(nameof(TimingSensitive), DisableParallelization = true)]
public sealed class TimingSensitive;

[Collection(nameof(TimingSensitive))]
public sealed class LatencySpecs
{
    [Fact]
    public async Task Latency_delays_matching_requests_only()
    {
        await using var server = await TestSeeds.Start(TestSeeds.Oci());
        using var http = Http.Client(server, "oci");
        (await http.GetAsync("/v2/_catalog")).Dispose();
        server.Faults.Add(new FaultRule { Registry = "oci", PathPattern = "^/v2/$", Latency = TimeSpan.FromMilliseconds(500), Jitter = TimeSpan.FromMilliseconds(50) });

        // The injected latency itself is what this proves: a lower bound, which a slow machine cannot break.
        var watch = Stopwatch.StartNew();
        using var slow = await http.GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.OK, slow.StatusCode);
        Assert.True(watch.ElapsedMilliseconds >= 490, $"took {watch.ElapsedMilliseconds} ms");

        // A request the rule does not match is answered while a matching one is still held.
        server.Faults.Add(new FaultRule { Registry = "oci", PathPattern = "^/v2/$", Latency = TimeSpan.FromMinutes(5) });
        var held = http.GetAsync("/v2/");
        using var fast = await http.GetAsync("/v2/_catalog").WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, fast.StatusCode);
        Assert.False(held.IsCompleted);
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
