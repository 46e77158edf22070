using RegistryCleaner.Contracts;
using RegistryCleaner.Integration.Tests.Support;

namespace RegistryCleaner.Integration.Tests;

[Collection(WorkerCollection.Name)]
public sealed class PublisherWatchTests(WorkerFixture fixture)
{
    [Fact]
    public async Task Watch_shows_only_the_results_its_filters_match_as_json_lines()
    {
        var repository = TestServices.UniqueRepository("watch");
        await fixture.RegistryWithoutDelete.PushAsync(repository, "one", "v1", "v2");
        using var watch = await BatchCli.StartAsync("Watching result events",
            "watch", "--registry", "nodelete", "--outcome", "failed", "--json", "--broker", TestServices.RabbitMqUri);
        var deleted = new DeleteTag { RequestId = Guid.NewGuid(), Registry = "oci", Repository = repository, Tag = "v1" };
        var refused = new DeleteTag { RequestId = Guid.NewGuid(), Registry = "nodelete", Repository = repository, Tag = "v1" };
        // Its result comes after the other two: once the watcher shows it, it has been past theirs.
        var marker = new DeleteTag { RequestId = Guid.NewGuid(), Registry = "nodelete", Repository = repository, Tag = "v2" };

        await fixture.SendAsync(QueueNames.DeleteTag, deleted);
        await fixture.SendAsync(QueueNames.DeleteTag, refused);
        await fixture.ResultAsync(deleted.RequestId);
        await fixture.ResultAsync(refused.RequestId);
        await fixture.SendAsync(QueueNames.DeleteTag, marker);
        await fixture.ResultAsync(marker.RequestId);
        await watch.ShownAsync(marker.RequestId.ToString());
        await watch.ShownAsync(refused.RequestId.ToString());
        var run = await watch.StopAsync();

        var shown = run.JsonLines();
        Assert.All(shown, s => Assert.Equal("DeletionFailed", s.GetProperty("event").GetString()));
        Assert.Equal(new[] { refused.RequestId, marker.RequestId }.Order(), shown.Select(s => s.GetProperty("requestId").GetGuid()).Order());
    }
}
