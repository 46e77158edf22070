using System.Net;
using RegistryCleaner.Contracts;
using RegistryCleaner.Integration.Tests.Support;

namespace RegistryCleaner.Integration.Tests;

/// <summary>The journal and restore on the real docker-registry, through real RabbitMQ.</summary>
[Collection(WorkerCollection.Name)]
public sealed class JournalRestoreTests(WorkerFixture fixture) : IAsyncLifetime
{
    private JournalObserver _observer = null!;
    private readonly OciImages _images = new(TestServices.OciRegistry);

    public async Task InitializeAsync() => _observer = await JournalObserver.ConnectAsync(TestServices.RabbitMqUri);

    public async Task DisposeAsync()
    {
        await _observer.DisposeAsync();
        _images.Dispose();
    }

    [Fact]
    public async Task A_deleted_tag_is_in_the_history_with_its_digest_who_and_why()
    {
        var repository = TestServices.UniqueRepository("journal");
        var image = await _images.ImageAsync(repository, [await _images.LayerAsync(repository, 1024)], "one", "v1", "v1-alias");

        var deleted = await _observer.DeleteAsync("oci", repository, "v1");

        Assert.Equal(image.Digest, deleted.Digest);
        var entry = Assert.Single(await _observer.HistoryAsync(new QueryJournal { Request = deleted.RequestId }));
        Assert.Equal((JournalAction.DeleteTag, JournalOutcome.Deleted, "oci", repository, "v1", image.Digest, OciImages.ManifestType, "integration test", "tests"),
            (entry.Action, entry.Outcome, entry.Registry, entry.Repository, entry.Tag, entry.Digest, entry.MediaType, entry.Reason, entry.RequestedBy));
        Assert.Single(await _observer.HistoryAsync(new QueryJournal { Repository = repository, Tag = "v*" }));
        Assert.Empty(await _observer.HistoryAsync(new QueryJournal { Repository = repository, Tag = "v2*" }));
    }

    [Fact]
    public async Task A_repository_deletion_journals_each_tag_with_its_digest_and_each_can_be_restored()
    {
        var repository = TestServices.UniqueRepository("journal-repo");
        var first = await _images.ImageAsync(repository, [await _images.LayerAsync(repository, 256)], "one", "v1", "v1-alias");
        var second = await _images.ImageAsync(repository, [await _images.LayerAsync(repository, 256)], "two", "v2");
        var command = new DeleteRepository { RequestId = Guid.NewGuid(), Registry = "oci", Repository = repository, Reason = "integration test", RequestedBy = "tests" };

        await _observer.SendAsync(QueueNames.DeleteRepository, command);
        var result = await _observer.ResultAsync(command.RequestId);

        Assert.True(result.Succeeded is not null, result.Failed?.Detail);
        var tagEntries = (await _observer.HistoryAsync(new QueryJournal { Request = command.RequestId }))
            .Where(e => e.Action == JournalAction.DeleteTag).OrderBy(e => e.Tag).Select(e => (e.Tag, e.Outcome, e.Digest, e.Reason)).ToList();
        Assert.Equal(
            [("v1", JournalOutcome.Deleted, first.Digest, "integration test"), ("v1-alias", JournalOutcome.Deleted, first.Digest, "integration test"),
             ("v2", JournalOutcome.Deleted, second.Digest, "integration test")],
            tagEntries);

        var restored = Assert.IsType<TagRestored>(await _observer.RestoreAsync(new RestoreTag
        {
            RequestId = Guid.NewGuid(), Registry = "oci", Repository = repository, Tag = "v2", DeletionRequestId = command.RequestId, RequestedBy = "tests",
        }));
        Assert.Equal(second.Digest, restored.Digest);
        Assert.Equal(second.Digest, await fixture.Registry.ResolveAsync(repository, "v2"));
        Assert.Empty(await _images.PullProblemsAsync(repository, "v2"));
    }

    [Fact]
    public async Task A_tag_restored_inside_the_window_comes_back_at_the_same_digest_and_pulls()
    {
        var repository = TestServices.UniqueRepository("restore");
        var image = await _images.ImageAsync(repository, [await _images.LayerAsync(repository, 4096)], "one", "v1");
        var deleted = await _observer.DeleteAsync("oci", repository, "v1");
        Assert.Null(await fixture.Registry.ResolveAsync(repository, "v1"));

        var restored = Assert.IsType<TagRestored>(await _observer.RestoreAsync(new RestoreTag
        {
            RequestId = Guid.NewGuid(), Registry = "oci", Repository = repository, Tag = "v1", DeletionRequestId = deleted.RequestId, RequestedBy = "tests",
        }));

        Assert.Equal((image.Digest, deleted.RequestId), (restored.Digest, restored.DeletionRequestId));
        Assert.Equal(image.Digest, await fixture.Registry.ResolveAsync(repository, "v1"));
        Assert.Empty(await _images.PullProblemsAsync(repository, "v1"));
        var journaled = Assert.Single(await _observer.HistoryAsync(new QueryJournal { Request = restored.RequestId }));
        Assert.Equal((JournalAction.RestoreTag, JournalOutcome.Restored, image.Digest), (journaled.Action, journaled.Outcome, journaled.Digest));
    }

    [Fact]
    public async Task A_dry_run_restore_says_it_could_and_puts_nothing_back()
    {
        var repository = TestServices.UniqueRepository("restore-dry");
        await _images.ImageAsync(repository, [await _images.LayerAsync(repository, 64)], "one", "v1");
        await _observer.DeleteAsync("oci", repository, "v1");

        var restored = Assert.IsType<TagRestored>(await _observer.RestoreAsync(new RestoreTag
        {
            RequestId = Guid.NewGuid(), Registry = "oci", Repository = repository, Tag = "v1", DryRun = true,
        }));

        Assert.True(restored.DryRun);
        Assert.Null(await fixture.Registry.ResolveAsync(repository, "v1"));
    }

    [Fact]
    public async Task Restoring_a_tag_that_was_pushed_again_is_refused_and_the_new_image_is_untouched()
    {
        var repository = TestServices.UniqueRepository("restore-pushed");
        await _images.ImageAsync(repository, [await _images.LayerAsync(repository, 64)], "old", "v1");
        var deleted = await _observer.DeleteAsync("oci", repository, "v1");
        var newer = await _images.ImageAsync(repository, [await _images.LayerAsync(repository, 64)], "new", "v1");

        var refused = Assert.IsType<RestoreFailed>(await _observer.RestoreAsync(new RestoreTag
        {
            RequestId = Guid.NewGuid(), Registry = "oci", Repository = repository, Tag = "v1", DeletionRequestId = deleted.RequestId,
        }));

        Assert.Equal(RestoreFailure.TagExists, refused.Failure);
        Assert.Contains(newer.Digest, refused.Detail);
        Assert.Equal(newer.Digest, await fixture.Registry.ResolveAsync(repository, "v1"));
        Assert.Empty(await _images.PullProblemsAsync(repository, "v1"));
    }

    [Fact]
    public async Task A_restore_of_a_request_the_journal_does_not_hold_is_refused()
    {
        var repository = TestServices.UniqueRepository("restore-unknown");
        await _images.ImageAsync(repository, [await _images.LayerAsync(repository, 64)], "one", "v1");

        var refused = Assert.IsType<RestoreFailed>(await _observer.RestoreAsync(new RestoreTag
        {
            RequestId = Guid.NewGuid(), Registry = "oci", Repository = repository, Tag = "v1", DeletionRequestId = Guid.NewGuid(),
        }));

        Assert.Equal(RestoreFailure.NotInJournal, refused.Failure);
        Assert.Equal(HttpStatusCode.OK, await _images.ManifestStatusAsync(repository, "v1"));
    }
}
