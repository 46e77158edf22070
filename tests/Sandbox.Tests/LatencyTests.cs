using System.Diagnostics;
using System.Net;

namespace RegistryCleaner.Sandbox.Tests;

[CollectionDefinition(nameof(TimingSensitive), DisableParallelization = true)]
public sealed class TimingSensitive;

[Collection(nameof(TimingSensitive))]
public sealed class LatencyTests
{
    [Fact]
    public async Task Latency_delays_matching_requests_only()
    {
        await using var server = await TestSeeds.Start(TestSeeds.Oci());
        using var http = Http.Client(server, "oci");
        (await http.GetAsync("/v2/_catalog")).Dispose();
        server.Faults.Add(new FaultRule { Registry = "oci", PathPattern = "^/v2/$", Latency = TimeSpan.FromMilliseconds(500), Jitter = TimeSpan.FromMilliseconds(50) });

        var watch = Stopwatch.StartNew();
        using var slow = await http.GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.OK, slow.StatusCode);
        Assert.True(watch.ElapsedMilliseconds >= 490, $"took {watch.ElapsedMilliseconds} ms");

        watch.Restart();
        using var fast = await http.GetAsync("/v2/_catalog");
        Assert.True(watch.ElapsedMilliseconds < 400, $"took {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Disposing_ends_pending_injected_latency()
    {
        var server = await TestSeeds.Start(TestSeeds.Oci());
        server.Faults.Add(new FaultRule { Latency = TimeSpan.FromMinutes(5) });
        using var http = Http.Client(server, "oci");
        var pending = http.GetAsync("/v2/");
        await Task.Delay(200);

        var watch = Stopwatch.StartNew();
        await server.DisposeAsync();
        Assert.True(watch.ElapsedMilliseconds < 3000, $"took {watch.ElapsedMilliseconds} ms");
        await Assert.ThrowsAsync<HttpRequestException>(() => pending);
    }
}
