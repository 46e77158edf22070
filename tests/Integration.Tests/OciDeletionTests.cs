using RegistryCleaner.Contracts;
using RegistryCleaner.Integration.Tests.Support;

namespace RegistryCleaner.Integration.Tests;

[Collection(WorkerCollection.Name)]
public sealed class OciDeletionTests(WorkerFixture fixture)
{
    private static DeleteTag Command(string registry, string repository, string tag) =>
        new() { RequestId = Guid.NewGuid(), Registry = registry, Repository = repository, Tag = tag, Reason = "integration test", RequestedBy = "tests" };

    [Fact]
    public async Task Deleting_a_tag_keeps_the_tags_that_share_its_digest()
    {
        var repository = TestServices.UniqueRepository("shared");
        var first = await fixture.Registry.PushAsync(repository, "one", "v1");
        var second = await fixture.Registry.PushAsync(repository, "two", "v2", "v2-alias");

        var command = Command("oci", repository, "v2");
        await fixture.SendAsync(QueueNames.DeleteTag, command);
        var result = await fixture.ResultAsync(command.RequestId);

        Assert.Equal(DeletionOutcome.Deleted, Assert.IsType<DeletionSucceeded>(result.Succeeded).Outcome);
        Assert.Null(await fixture.Registry.ResolveAsync(repository, "v2"));
        Assert.Equal(second, await fixture.Registry.ResolveAsync(repository, "v2-alias"));
        Assert.Equal(first, await fixture.Registry.ResolveAsync(repository, "v1"));
        Assert.Equal(["v1", "v2-alias"], await fixture.Registry.TagsAsync(repository));
    }

    [Fact]
    public async Task The_same_command_again_is_AlreadyAbsent()
    {
        var repository = TestServices.UniqueRepository("again");
        await fixture.Registry.PushAsync(repository, "one", "v1", "keep");
        var command = Command("oci", repository, "v1");

        await fixture.SendAsync(QueueNames.DeleteTag, command);
        Assert.Equal(DeletionOutcome.Deleted, (await fixture.ResultAsync(command.RequestId)).Succeeded!.Outcome);
        await fixture.SendAsync(QueueNames.DeleteTag, command);
        var again = await fixture.ResultAsync(command.RequestId, occurrence: 2);

        Assert.Equal(DeletionOutcome.AlreadyAbsent, Assert.IsType<DeletionSucceeded>(again.Succeeded).Outcome);
        Assert.Equal(["keep"], await fixture.Registry.TagsAsync(repository));
    }

    [Fact]
    public async Task An_unknown_repository_is_AlreadyAbsent()
    {
        var command = Command("oci", TestServices.UniqueRepository("never-pushed"), "v1");

        await fixture.SendAsync(QueueNames.DeleteTag, command);

        Assert.Equal(DeletionOutcome.AlreadyAbsent, Assert.IsType<DeletionSucceeded>((await fixture.ResultAsync(command.RequestId)).Succeeded).Outcome);
    }

    [Fact]
    public async Task A_registry_with_deletion_disabled_fails_as_NotSupported_and_the_tag_is_untouched()
    {
        var repository = TestServices.UniqueRepository("nodelete");
        var digest = await fixture.RegistryWithoutDelete.PushAsync(repository, "one", "v1", "v1-alias");
        var command = Command("nodelete", repository, "v1");

        await fixture.SendAsync(QueueNames.DeleteTag, command);
        var failed = Assert.IsType<DeletionFailed>((await fixture.ResultAsync(command.RequestId)).Failed);

        Assert.Equal(FailureKind.NotSupported, failed.Failure);
        Assert.Equal(405, failed.LastStatus);
        Assert.Equal(digest, await fixture.RegistryWithoutDelete.ResolveAsync(repository, "v1"));
        Assert.Equal(digest, await fixture.RegistryWithoutDelete.ResolveAsync(repository, "v1-alias"));
    }

    [Fact]
    public async Task Deleting_a_repository_removes_every_tag_and_counts_them()
    {
        var repository = TestServices.UniqueRepository("whole");
        await fixture.Registry.PushAsync(repository, "one", "a", "b");
        await fixture.Registry.PushAsync(repository, "two", "c");
        var command = new DeleteRepository { RequestId = Guid.NewGuid(), Registry = "oci", Repository = repository };

        await fixture.SendAsync(QueueNames.DeleteRepository, command);
        var succeeded = Assert.IsType<DeletionSucceeded>((await fixture.ResultAsync(command.RequestId)).Succeeded);

        Assert.Equal(DeletionOutcome.Deleted, succeeded.Outcome);
        Assert.Equal(3, succeeded.TagsDeleted);
        Assert.Null(succeeded.Tag);
        Assert.Empty(await fixture.Registry.TagsAsync(repository));
    }

    [Fact]
    public async Task An_interrupted_delete_left_pointing_at_a_throwaway_manifest_is_finished_on_redelivery()
    {
        var repository = TestServices.UniqueRepository("resume");
        var digest = await fixture.Registry.PushAsync(repository, "one", "v1", "v1-alias");
        await fixture.Registry.RepointToThrowawayAsync(repository, "v1");

        var command = Command("oci", repository, "v1");
        await fixture.SendAsync(QueueNames.DeleteTag, command);

        Assert.Equal(DeletionOutcome.Deleted, Assert.IsType<DeletionSucceeded>((await fixture.ResultAsync(command.RequestId)).Succeeded).Outcome);
        Assert.Null(await fixture.Registry.ResolveAsync(repository, "v1"));
        Assert.Equal(digest, await fixture.Registry.ResolveAsync(repository, "v1-alias"));
    }
}

[Collection(WorkerCollection.Name)]
public sealed class OciConcurrentDeletionTests(WorkerFixture fixture)
{
    [Fact]
    public async Task Many_tags_of_one_image_deleted_at_once_are_all_gone_and_the_kept_one_survives()
    {
        var repository = TestServices.UniqueRepository("burst");
        var tags = Enumerable.Range(0, 60).Select(i => $"t{i}").ToArray();
        var digest = await fixture.Registry.PushAsync(repository, "shared", [.. tags, "keep"]);
        var commands = tags.Select(t => new DeleteTag { RequestId = Guid.NewGuid(), Registry = "oci", Repository = repository, Tag = t }).ToList();

        await Task.WhenAll(commands.Select(c => fixture.SendAsync(QueueNames.DeleteTag, c)));
        foreach (var command in commands)
        {
            var result = await fixture.ResultAsync(command.RequestId);
            Assert.True(result.Succeeded is not null, $"{command.Tag}: {result.Failed?.Failure} {result.Failed?.Detail}");
        }

        Assert.Equal(["keep"], await fixture.Registry.TagsAsync(repository));
        Assert.Equal(digest, await fixture.Registry.ResolveAsync(repository, "keep"));
    }
}
