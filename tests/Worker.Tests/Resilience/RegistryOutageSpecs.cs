using Microsoft.Extensions.Logging.Testing;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Registries;
using RegistryCleaner.Worker.Registries.Http;
using RegistryCleaner.Worker.Registries.Resilience;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Resilience;

/// <summary>A registry that keeps failing: its work waits for it instead of using up its retries, and resumes when it answers again.</summary>
public sealed class RegistryOutageSpecs
{
    private static readonly RetryOptions Retry = new()
    {
        MaxAttempts = 3,
        BaseDelay = TimeSpan.FromMilliseconds(10),
        MaxDelay = TimeSpan.FromMilliseconds(50),
        AttemptTimeout = TimeSpan.FromSeconds(5),
    };

    private static OutageOptions Outage(TimeSpan? maxHold = null) => new()
    {
        MinimumThroughput = 4,
        BreakDuration = TimeSpan.FromMilliseconds(500),
        MaxHold = maxHold ?? TimeSpan.FromSeconds(60),
    };

    [Fact]
    public async Task While_the_registry_is_down_operations_wait_and_all_finish_once_it_answers_again()
    {
        var registry = new FlakyRegistry { Down = true };
        var log = new FakeLogger();
        var http = Http(registry, new RegistryLimits(8, null, Outage()) { Log = log });

        var operations = Enumerable.Range(0, 20).Select(_ => SendAsync(http)).ToList();
        await Eventually.TrueAsync(() => Logged(log, "keeps failing"), describe: () => "the outage was never declared");
        // Two probes, a break apart, find the registry still down: the work keeps waiting instead of failing.
        var sentAtOutage = registry.Requests;
        await Eventually.TrueAsync(() => registry.Requests >= sentAtOutage + 2, describe: () => $"{registry.Requests - sentAtOutage} probes after the outage began");
        Assert.DoesNotContain(operations, o => o.IsCompleted);
        var sentWhileDown = registry.Requests;
        registry.Down = false;
        var attempts = await Task.WhenAll(operations);

        // Twenty operations with three attempts each would have sent 60 requests and then failed.
        Assert.InRange(sentWhileDown, 4, 30);
        Assert.All(attempts, a => Assert.Equal(a.Requests, a.Attempts));
        Assert.True(Logged(log, "keeps failing"));
        Assert.True(Logged(log, "answers again"));
    }

    [Fact]
    public async Task An_outage_longer_than_the_hold_fails_each_operation_as_retries_exhausted_and_says_so()
    {
        var registry = new FlakyRegistry { Down = true };
        var http = Http(registry, new RegistryLimits(8, null, Outage(maxHold: TimeSpan.FromSeconds(1))));

        var operations = Enumerable.Range(0, 6).Select(_ => Assert.ThrowsAsync<RegistryFailureException>(() => SendAsync(http))).ToList();
        var failures = await Task.WhenAll(operations);

        Assert.All(failures, f =>
        {
            Assert.Equal(FailureKind.RetriesExhausted, f.Kind);
            Assert.Contains("kept failing", f.Message);
        });
    }

    [Fact]
    public async Task With_outage_detection_off_every_operation_uses_its_attempts_and_fails_as_before()
    {
        var registry = new FlakyRegistry { Down = true };
        var outage = Outage();
        outage.Enabled = false;
        var http = Http(registry, new RegistryLimits(8, null, outage));

        var failures = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Assert.ThrowsAsync<RegistryFailureException>(() => SendAsync(http))));

        Assert.Equal(10 * Retry.MaxAttempts, registry.Requests);
        Assert.All(failures, f => Assert.Contains("HTTP 503 after 3 attempts", f.Message));
    }

    [Fact]
    public async Task A_registry_that_fails_one_request_in_three_is_retried_not_treated_as_down()
    {
        var registry = new FlakyRegistry { FailFirstOfEvery = 3 };
        var log = new FakeLogger();
        var http = Http(registry, new RegistryLimits(8, null, new OutageOptions()) { Log = log });

        var attempts = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => SendAsync(http, $"v{i}")));

        Assert.Equal(66, attempts.Count(a => a.Attempts == 2));
        Assert.False(Logged(log, "keeps failing"));
    }

    [Fact]
    public void A_rate_limit_hands_out_one_request_and_makes_the_next_wait()
    {
        using var limiter = new RegistryLimits(8, 0.5, new OutageOptions()).CreateRateLimiter();

        Assert.NotNull(limiter);
        Assert.True(limiter.AttemptAcquire().IsAcquired);
        Assert.False(limiter.AttemptAcquire().IsAcquired);
        Assert.Null(new RegistryLimits(8).CreateRateLimiter());
    }

    private static bool Logged(FakeLogger log, string text) => log.Collector.GetSnapshot().Any(r => r.Message.Contains(text, StringComparison.Ordinal));

    private static RegistryHttp Http(FlakyRegistry registry, RegistryLimits limits) =>
        new("flaky", registry, NoAuthentication.Instance, limits, Retry);

    private static async Task<OperationAttempts> SendAsync(RegistryHttp http, string tag = "v1")
    {
        var attempts = new OperationAttempts();
        using var response = await http.SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, $"v2/app/manifests/{tag}"), attempts, CancellationToken.None);
        return attempts;
    }
}
