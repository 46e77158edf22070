using RegistryCleaner.Integration.Tests.Support;

namespace RegistryCleaner.Integration.Tests;

/// <summary>A retention policy on the real registry, run with the Publisher: images built with chosen creation times.</summary>
[Collection(WorkerCollection.Name)]
public sealed class RetentionTests(WorkerFixture fixture)
{
    public const string Repository = "it/retention";

    [Fact]
    public async Task A_run_leaves_exactly_the_expected_tags_and_spares_what_shares_a_protected_digest()
    {
        var now = DateTimeOffset.UtcNow;
        var protectedDigest = await fixture.Registry.PushAsync(Repository, "old", now.AddDays(-200), "latest", "v1");
        await fixture.Registry.PushAsync(Repository, "v2", now.AddDays(-100), "v2");
        await fixture.Registry.PushAsync(Repository, "v3", now.AddDays(-60), "v3");
        await fixture.Registry.PushAsync(Repository, "v4", now.AddDays(-10), "v4");
        await fixture.Registry.PushAsync(Repository, "v5", now.AddDays(-1), "v5");
        await fixture.Registry.PushAsync(Repository, "undated", (DateTimeOffset?)null, "nightly");

        var (exit, output, error) = await PublisherProcess.RunAsync("retention", "run", "it-retention", "--wait", "--timeout", "90",
            "--broker", TestServices.RabbitMqUri);

        Assert.True(exit == 0, $"exit {exit}\n{output}\n{error}");
        Assert.Contains("to delete 3", output);
        Assert.Contains("- v1  (", output);
        Assert.Contains("undated 1", output);
        Assert.Equal(["latest", "nightly", "v4", "v5"], await fixture.Registry.TagsAsync(Repository));
        Assert.Equal(protectedDigest, await fixture.Registry.ResolveAsync(Repository, "latest"));
    }

    [Fact]
    public async Task The_policies_are_listed_with_their_next_fire_time()
    {
        var (exit, output, error) = await PublisherProcess.RunAsync("retention", "list", "--broker", TestServices.RabbitMqUri);

        Assert.True(exit == 0, $"exit {exit}\n{output}\n{error}");
        Assert.Contains("it-retention", output);
        Assert.Contains("next: 20", output);
        Assert.Contains("keep newest 2", output);
    }
}
