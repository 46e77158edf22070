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
        await fixture.RegistryWithoutDelete.PushAsync(repository, "one", "v1");
        using var watch = await BatchCli.StartAsync("Watching result events",
            "watch", "--registry", "nodelete", "--outcome", "failed", "--json", "--broker", TestServices.RabbitMqUri);
        var deleted = new DeleteTag { RequestId = Guid.NewGuid(), Registry = "oci", Repository = repository, Tag = "v1" };
        var refused = new DeleteTag { RequestId = Guid.NewGuid(), Registry = "nodelete", Repository = repository, Tag = "v1" };

        await fixture.SendAsync(QueueNames.DeleteTag, deleted);
        await fixture.SendAsync(QueueNames.DeleteTag, refused);
        await fixture.ResultAsync(deleted.RequestId);
        await fixture.ResultAsync(refused.RequestId);
        await Task.Delay(TimeSpan.FromSeconds(5)); // the watcher prints asynchronously; give a loaded machine time
        var run = await watch.StopAsync();

        var shown = Assert.Single(run.JsonLines());
        Assert.Equal("DeletionFailed", shown.GetProperty("event").GetString());
        Assert.Equal(refused.RequestId, shown.GetProperty("requestId").GetGuid());
    }
}
