using System.Diagnostics;
using RegistryCleaner.Contracts;
using RegistryCleaner.Integration.Tests.Support;
using RegistryCleaner.Publisher.Messaging;
using Xunit.Abstractions;

namespace RegistryCleaner.Integration.Tests;

/// <summary><c>delete-tags</c> end to end: the CLI as its own process, a worker in a virtual host of its own, real RabbitMQ and the real registry.</summary>
public sealed class PublisherBatchTests(OwnWorkerFixture fixture, ITestOutputHelper output) : IClassFixture<OwnWorkerFixture>
{
    [Fact]
    public async Task Ten_thousand_lines_are_sent_and_awaited_with_right_counts_and_json_on_every_line()
    {
        // One tag to delete per repository (beside a "keep" tag on the same image); the other lines name tags that never existed.
        const int lines = 10_000, repositories = 100;
        var prefix = TestServices.UniqueRepository("batch");
        var names = Enumerable.Range(0, repositories).Select(i => $"{prefix}-{i}").ToArray();
        foreach (var chunk in names.Chunk(10))
            await Task.WhenAll(chunk.Select(repository => fixture.Registry.PushAsync(repository, "batch", "v1", "keep")));
        var file = await BatchCli.WriteFileAsync(".jsonl", Enumerable.Range(0, lines).Select(i =>
            $$"""{"registry":"oci","repository":"{{names[i % repositories]}}","tag":"{{(i < repositories ? "v1" : $"absent-{i}")}}","reason":"batch test"}"""));

        var clock = Stopwatch.StartNew();
        var run = await BatchCli.RunAsync(TimeSpan.FromMinutes(5), null, "delete-tags", "--file", file, "--wait", "--timeout", "240", "--json", "--broker", fixture.BrokerUri);
        output.WriteLine($"{lines} lines sent and awaited in {clock.Elapsed.TotalSeconds:F1} s");

        Assert.True(run.Exit == 0, run.Error);
        var events = run.JsonLines();
        var results = events.Where(e => e.GetProperty("event").GetString() == "DeletionSucceeded").ToList();
        Assert.Equal(lines, results.Count);
        Assert.Equal(lines, results.Select(r => r.GetProperty("requestId").GetGuid()).Distinct().Count());
        Assert.Equal(Enumerable.Range(1, lines), results.Select(r => r.GetProperty("line").GetInt32()).Order());
        Assert.Equal(repositories, results.Count(r => r.GetProperty("outcome").GetString() == nameof(DeletionOutcome.Deleted)));
        Assert.Equal(lines - repositories, results.Count(r => r.GetProperty("outcome").GetString() == nameof(DeletionOutcome.AlreadyAbsent)));
        var summary = Assert.Single(events, e => e.GetProperty("event").GetString() == "Summary");
        Assert.Equal((lines, lines, repositories, lines - repositories, 0, 0),
            (summary.GetProperty("requests").GetInt32(), summary.GetProperty("sent").GetInt32(), summary.GetProperty("deleted").GetInt32(),
             summary.GetProperty("alreadyAbsent").GetInt32(), summary.GetProperty("failed").GetInt32(), summary.GetProperty("exitCode").GetInt32()));
        Assert.Equal(lines + 1, events.Count);
        foreach (var repository in names)
            Assert.Equal(["keep"], await fixture.Registry.TagsAsync(repository));
    }

    [Fact]
    public async Task A_file_with_bad_lines_exits_2_names_the_lines_and_sends_nothing()
    {
        var repository = TestServices.UniqueRepository("bad-lines");
        await fixture.Registry.PushAsync(repository, "one", "v1", "v2");
        var requestId = Guid.NewGuid();
        var file = await BatchCli.WriteFileAsync(".csv",
        [
            "registry,repository,tag,requestId",
            $"oci,{repository},v1,{requestId}",
            $"oci,{repository},",
            $"oci,{repository},v2,",
            "https://registry.example,team/app,v1,",
        ]);

        var observed = new ResultBook();
        await using var observer = await PublisherBus.ConnectAsync(fixture.Broker, listen: true, TimeSpan.FromSeconds(30), CancellationToken.None);
        _ = Task.Run(async () =>
        {
            await foreach (var result in observer.Results.ReadAllAsync())
                observed.Add(result);
        });

        var run = await BatchCli.RunAsync("delete-tags", "--file", file, "--wait", "--broker", fixture.BrokerUri);

        Assert.True(run.Exit == 2, run.ToString());
        Assert.Contains("line 3: has 3 field(s); the header names 4.", run.Error);
        Assert.Contains("line 5: registry \"https://registry.example\" must be the name of a configured registry", run.Error);
        Assert.Contains("nothing was sent", run.Error);
        Assert.DoesNotContain("line 2", run.Error);
        Assert.DoesNotContain("line 4", run.Error);

        // Commands are handled in order of arrival: once a later command has its result, an earlier one would have had its own.
        var sentinel = new DeleteTag { RequestId = Guid.NewGuid(), Registry = "oci", Repository = repository, Tag = "never-pushed" };
        await fixture.SendAsync(QueueNames.DeleteTag, sentinel);
        await observed.WaitAsync(sentinel.RequestId, TimeSpan.FromSeconds(60));
        Assert.Equal(0, observed.Count(requestId));
        Assert.Equal(["v1", "v2"], await fixture.Registry.TagsAsync(repository));
    }

    [Fact]
    public async Task Skip_invalid_sends_the_valid_lines_and_exits_1_for_the_skipped_ones()
    {
        var repository = TestServices.UniqueRepository("skip-invalid");
        await fixture.Registry.PushAsync(repository, "one", "v1", "v2");
        var file = await BatchCli.WriteFileAsync(".csv", ["registry,repository,tag", $"oci,{repository},v1", $"oci,{repository},bad tag\u0001"]);

        var run = await BatchCli.RunAsync("delete-tags", "--file", file, "--skip-invalid", "--wait", "--broker", fixture.BrokerUri);

        Assert.True(run.Exit == 1, run.ToString());
        Assert.Contains("line 3: tag contains a control character", run.Error);
        Assert.Matches(@"deleted\s+1", run.Output);
        Assert.Matches(@"invalid lines\s+1", run.Output);
        Assert.Equal(["v2"], await fixture.Registry.TagsAsync(repository));
    }

    [Fact]
    public async Task Running_the_same_file_again_reuses_the_RequestIds_and_finds_the_tags_already_absent()
    {
        var repository = TestServices.UniqueRepository("again");
        await fixture.Registry.PushAsync(repository, "one", "v1", "v2", "keep");
        var input = string.Join('\n', $$"""{"registry":"oci","repository":"{{repository}}","tag":"v1"}""", $$"""{"registry":"oci","repository":"{{repository}}","tag":"v2"}""");

        var first = await BatchCli.RunAsync(TimeSpan.FromSeconds(120), input, "delete-tags", "--file", "-", "--wait", "--json", "--broker", fixture.BrokerUri);
        var second = await BatchCli.RunAsync(TimeSpan.FromSeconds(120), input, "delete-tags", "--file", "-", "--wait", "--json", "--broker", fixture.BrokerUri);

        Assert.True(first.Exit == 0, first.ToString());
        Assert.True(second.Exit == 0, second.ToString());
        var firstIds = first.Events("DeletionSucceeded").ToDictionary(e => e.GetProperty("requestId").GetGuid(), e => e.GetProperty("outcome").GetString());
        var secondIds = second.Events("DeletionSucceeded").ToDictionary(e => e.GetProperty("requestId").GetGuid(), e => e.GetProperty("outcome").GetString());
        Assert.Equal(firstIds.Keys.Order(), secondIds.Keys.Order());
        Assert.All(firstIds.Values, outcome => Assert.Equal(nameof(DeletionOutcome.Deleted), outcome));
        Assert.All(secondIds.Values, outcome => Assert.Equal(nameof(DeletionOutcome.AlreadyAbsent), outcome));
        Assert.Equal(["keep"], await fixture.Registry.TagsAsync(repository));
    }

    [Fact]
    public async Task An_unknown_registry_is_reported_by_the_worker_through_wait_with_its_line()
    {
        var file = await BatchCli.WriteFileAsync(".jsonl", ["""{"registry":"no-such-registry","repository":"team/app","tag":"v1"}"""]);

        var run = await BatchCli.RunAsync("delete-tags", "--file", file, "--wait", "--broker", fixture.BrokerUri);

        Assert.True(run.Exit == 1, run.ToString());
        Assert.Contains("line 1", run.Output);
        Assert.Contains("no-such-registry/team/app:v1  UnknownRegistry", run.Output);
        Assert.Contains("Registry 'no-such-registry' is not configured", run.Output);
        Assert.Matches(@"failed\s+1", run.Output);
    }
}
