using RegistryCleaner.Contracts;
using RegistryCleaner.Sandbox;
using RegistryCleaner.Worker.Tests.Support;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Reliability;

/// <summary>A thousand commands through the bus while the registry answers 30% 503 and 10% 429.</summary>
public sealed class FaultyRegistrySpecs
{
    private const int Commands = 1_000;
    private const int MaxAttempts = 16; // 40 % of answers fail: the chance that one of the 1,000 commands meets 16 failures in a row is 0.04 %

    [Fact]
    public async Task Every_command_succeeds_with_its_attempts_reported_and_no_request_beyond_the_bound()
    {
        var tags = Enumerable.Range(0, Commands).Select(i => new SeedTag { Name = $"build-{i}", Created = DateTimeOffset.UtcNow }).ToList();
        await using var sandbox = await SandboxServer.StartAsync(new SandboxSeed
        {
            Registries = [new SeedRegistry { Name = "swr", Kind = RegistryKind.Swr, AccessKey = "AK", SecretKey = "SK", Repositories = [new SeedRepository { Name = "acme/web", Tags = tags }] }],
        });
        sandbox.Faults.Add(new FaultRule { Registry = "swr", Method = "DELETE", Probability = 0.3, Status = 503 });
        sandbox.Faults.Add(new FaultRule { Registry = "swr", Method = "DELETE", Probability = 0.1 / 0.7, Status = 429 });
        await using var harness = new WorkerHarness(null, new Dictionary<string, string?>
        {
            ["Registries:swr:Kind"] = "Swr",
            ["Registries:swr:Endpoint"] = sandbox.EndpointOf("swr").ToString(),
            ["Registries:swr:AccessKey"] = "AK",
            ["Registries:swr:SecretKey"] = "SK",
            ["Registries:swr:MaxConcurrency"] = "32",
            ["Retry:MaxAttempts"] = MaxAttempts.ToString(),
            ["Retry:BaseDelay"] = "00:00:00.001",
            ["Retry:MaxDelay"] = "00:00:00.010",
        });
        await harness.StartAsync();

        var commands = tags.Select(t => new DeleteTag { RequestId = Guid.NewGuid(), Registry = "swr", Repository = "acme/web", Tag = t.Name }).ToList();
        foreach (var command in commands)
            await harness.SendAsync(QueueNames.DeleteTag, command);
        var results = (await harness.ResultsAsync(commands.Select(c => c.RequestId).ToList(), TimeSpan.FromSeconds(120)))
            .Select(Assert.IsType<DeletionSucceeded>).ToList();

        Assert.Empty(sandbox.State.Tags("swr", "acme/web"));
        var requestsPerTag = sandbox.Requests.Snapshot().Where(r => r.Method == "DELETE")
            .GroupBy(r => r.RawPath[(r.RawPath.LastIndexOf('/') + 1)..]).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(results, r =>
        {
            Assert.Equal(requestsPerTag[r.Tag!], r.Attempts);
            Assert.InRange(r.Attempts, 1, MaxAttempts);
        });
        Assert.True(results.Count(r => r.Attempts > 1) > Commands / 5, "the faults should have forced many retries");
        var faults = sandbox.Requests.Snapshot().Count(r => r.Status is 503 or 429);
        Assert.InRange(faults / (double)sandbox.Requests.Snapshot().Count(r => r.Method == "DELETE"), 0.3, 0.5);
    }
}
