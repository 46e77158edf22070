using RegistryCleaner.Contracts;
using RegistryCleaner.Integration.Tests.Support;
using RegistryCleaner.Sandbox;

namespace RegistryCleaner.Integration.Tests;

/// <summary>A registry is not hammered: its request rate stays within its limit, and while it is down its work waits.</summary>
public sealed class ScaleOutRegistryProtectionTests(ClassVirtualHost<ScaleOutRegistryProtectionTests> broker)
    : IClassFixture<ClassVirtualHost<ScaleOutRegistryProtectionTests>>
{
    [Fact]
    public async Task The_rate_the_registry_sees_stays_within_requests_per_second()
    {
        const double limit = 40;
        await using var sandbox = await ScaleOutSupport.SandboxAsync(repositories: 3, tagsPerRepository: 100);
        var commands = ScaleOutSupport.DeleteEveryTag(sandbox);
        var ids = commands.Select(c => c.RequestId).ToHashSet();
        await using var observer = await ScaleOutObserver.StartAsync(broker.RabbitMqUri);
        var settings = ScaleOutSupport.WorkerSettings(broker.RabbitMqUri, sandbox);
        settings["Registries__oci__RequestsPerSecond"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Registries__oci__MaxConcurrency"] = "8";
        await using var worker = await WorkerProcess.StartAsync(settings);

        await observer.SendAsync(QueueNames.DeleteTag, commands);
        await ScaleOutSupport.WaitUntilAsync(() => observer.Succeeded(ids) == ids.Count, TimeSpan.FromSeconds(60),
            () => $"{observer.Succeeded(ids)} of {ids.Count} succeeded\n{worker.Output}");

        var deletes = sandbox.Requests.Snapshot(ScaleOutSupport.Registry).Where(r => r.Method == "DELETE").Select(r => r.At).Order().ToList();
        Assert.Equal(ids.Count, deletes.Count);
        var elapsed = (deletes[^1] - deletes[0]).TotalSeconds;
        var rate = (deletes.Count - 1) / elapsed;
        Assert.True(rate <= limit * 1.05, $"observed {rate:F1} requests per second over {elapsed:F1} s");
        // The bucket holds one token, so any window of t seconds may see limit × t + 1 requests. Where they are logged, on
        // arrival, a busy machine shifts them by up to a few hundred milliseconds: half a second's worth is allowed for that.
        var busiest = Busiest(deletes, TimeSpan.FromSeconds(3));
        Assert.True(busiest <= 3.5 * limit, $"{busiest} requests within three seconds (observed {rate:F1} per second overall)");
    }

    private static int Busiest(List<DateTimeOffset> arrivals, TimeSpan window)
    {
        var busiest = 0;
        for (int start = 0, end = 0; start < arrivals.Count; start++)
        {
            while (end < arrivals.Count && arrivals[end] - arrivals[start] < window)
                end++;
            busiest = Math.Max(busiest, end - start);
        }
        return busiest;
    }

    [Fact]
    public async Task A_registry_down_through_many_probes_sends_nothing_to_error_and_the_work_completes_when_it_returns()
    {
        await using var sandbox = await ScaleOutSupport.SandboxAsync(repositories: 2, tagsPerRepository: 100);
        var commands = ScaleOutSupport.DeleteEveryTag(sandbox);
        var ids = commands.Select(c => c.RequestId).ToHashSet();
        await using var observer = await ScaleOutObserver.StartAsync(broker.RabbitMqUri);
        var settings = ScaleOutSupport.WorkerSettings(broker.RabbitMqUri, sandbox);
        // Without waiting out the outage, every command would use up these three attempts within a second and fail.
        settings["Retry__MaxAttempts"] = "3";
        settings["Registries__oci__Outage__BreakDuration"] = Break.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        await using var worker = await WorkerProcess.StartAsync(settings);

        sandbox.Faults.Add(new FaultRule { Registry = ScaleOutSupport.Registry, Probability = 1, Status = 503 });
        var downAt = DateTimeOffset.UtcNow;
        await observer.SendAsync(QueueNames.DeleteTag, commands);
        // Far longer than every attempt and every redelivery of a command would last (a few seconds): the registry is
        // probed a break apart, again and again, first answering 503, then dropping connections.
        await OutageProbedAsync(sandbox, downAt, Break * 4, worker);
        sandbox.Faults.Clear();
        var droppingAt = DateTimeOffset.UtcNow;
        sandbox.Faults.Add(new FaultRule { Registry = ScaleOutSupport.Registry, Probability = 1, Status = 0 }); // now it drops connections
        await OutageProbedAsync(sandbox, droppingAt, Break * 2, worker);
        Assert.Empty(observer.Failures(ids));
        Assert.Equal(0, observer.Succeeded(ids));
        sandbox.Faults.Clear();
        var upAt = DateTimeOffset.UtcNow;

        await ScaleOutSupport.WaitUntilAsync(() => observer.Succeeded(ids) == ids.Count, TimeSpan.FromSeconds(30),
            () => $"{observer.Succeeded(ids)} of {ids.Count} succeeded after the registry came back\n{worker.Output}");
        Assert.Empty(observer.Failures(ids));
        Assert.Equal(0, sandbox.State.TagCount(ScaleOutSupport.Registry));
        Assert.Equal(0, await ScaleOutSupport.CountInQueueAsync(broker.RabbitMqUri, QueueNames.DeleteTag + "_error", ids));
        // Sending every command with all its retries would have been 600 requests; probing every 2 s is a few dozen.
        var duringOutage = sandbox.Requests.Snapshot(ScaleOutSupport.Registry).Count(r => r.At >= downAt && r.At < upAt);
        Assert.True(duringOutage < 100, $"{duringOutage} requests reached the registry while it was down");
    }

    private static readonly TimeSpan Break = TimeSpan.FromSeconds(2);

    /// <summary>Until the registry, since <paramref name="since"/>, has been asked over a span of <paramref name="span"/>: probes, each refused.</summary>
    private static async Task OutageProbedAsync(Sandbox.SandboxServer sandbox, DateTimeOffset since, TimeSpan span, WorkerProcess worker)
    {
        List<DateTimeOffset> Refused() => sandbox.Requests.Snapshot(ScaleOutSupport.Registry)
            .Where(r => r.At >= since && r.Status is 0 or 503).Select(r => r.At).Order().ToList();
        await Eventually.TrueAsync(() => Refused() is { Count: > 1 } at && at[^1] - at[0] >= span, TimeSpan.FromSeconds(60),
            () => $"{Refused().Count} refused requests since {since:HH:mm:ss.fff}\n{worker.Output}");
    }
}
