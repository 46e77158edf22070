using System.Net;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Journal;
using RegistryCleaner.Worker.Tests.Support;
using Xunit;
using static RegistryCleaner.Worker.Tests.Support.ScriptedRegistry;

namespace RegistryCleaner.Worker.Tests.Journal;

/// <summary>A restore and a reclaim never work on one digest at once: whichever holds its claim goes first.</summary>
public sealed class RestoreClaimSpecs
{
    private const string Repository = "team/app";
    private const string Digest = AnyManifestDigest;

    private static ScriptedRegistry TagGone(params string[] tags) => TagGone(TimeSpan.Zero, tags);

    /// <param name="putTakes">How long the first tag's PUT takes.</param>
    private static ScriptedRegistry TagGone(TimeSpan putTakes, params string[] tags)
    {
        var registry = new ScriptedRegistry();
        foreach (var tag in tags.DefaultIfEmpty("v1"))
        {
            var wait = tag == tags.DefaultIfEmpty("v1").First() ? putTakes : TimeSpan.Zero;
            registry.On(HttpMethod.Head, $"/v2/{Repository}/manifests/{tag}", Status(HttpStatusCode.NotFound))
                .On(HttpMethod.Get, $"/v2/{Repository}/manifests/{tag}", OciError(HttpStatusCode.NotFound, "MANIFEST_UNKNOWN"))
                .On(HttpMethod.Put, $"/v2/{Repository}/manifests/{tag}", async (request, ct) =>
                {
                    await Task.Delay(wait, ct);
                    return await Status(HttpStatusCode.Created, null, r => r.Headers.Add("Docker-Content-Digest", Digest))(request, ct);
                });
        }
        return registry;
    }

    [Fact]
    public async Task Restores_of_two_tags_of_one_image_sent_together_both_put_their_tag_back()
    {
        // The first PUT takes a while, so that the second restore comes while the first holds the digest.
        var registry = TagGone(TimeSpan.FromMilliseconds(500), "v1", "v2");
        var journal = new MemoryJournalStore();
        await JournalEntries.DeletedAsync(journal, Digest, "v1");
        await JournalEntries.DeletedAsync(journal, Digest, "v2");
        await using var harness = new WorkerHarness(registry, null, journal);
        await harness.StartAsync();
        var commands = new[] { "v1", "v2" }.Select(tag => new RestoreTag { RequestId = Guid.NewGuid(), Registry = "oci", Repository = Repository, Tag = tag }).ToList();

        await Task.WhenAll(commands.Select(c => harness.SendAsync(QueueNames.RestoreTag, c)));

        foreach (var command in commands)
            Assert.Equal(Digest, (await harness.EventAsync<TagRestored>(m => m.RequestId == command.RequestId)).Digest);
        Assert.Equal(2, registry.Requests.Count(r => r.Method == HttpMethod.Put));
    }

    [Fact]
    public async Task A_restore_puts_nothing_back_while_a_reclaim_holds_the_digest_and_frees_it_when_done()
    {
        var registry = TagGone();
        var journal = new MemoryJournalStore();
        await JournalEntries.DeletedAsync(journal, Digest);
        Assert.True(await journal.TryClaimAsync("oci", Repository, Digest, "reclaim-run", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(10), default));
        await using var harness = new WorkerHarness(registry, null, journal);
        await harness.StartAsync();
        var command = new RestoreTag { RequestId = Guid.NewGuid(), Registry = "oci", Repository = Repository, Tag = "v1" };

        await harness.SendAsync(QueueNames.RestoreTag, command);
        var refused = await harness.EventAsync<RestoreFailed>(m => m.RequestId == command.RequestId);

        Assert.Equal(RestoreFailure.NotRestorable, refused.Failure);
        Assert.Contains("A reclaim, or a restore on another worker, holds", refused.Detail);
        Assert.Empty(registry.Requests);

        await journal.ReleaseAsync("oci", Repository, Digest, "reclaim-run", default);
        var again = command with { RequestId = Guid.NewGuid() };
        await harness.SendAsync(QueueNames.RestoreTag, again);
        Assert.Equal(Digest, (await harness.EventAsync<TagRestored>(m => m.RequestId == again.RequestId)).Digest);
        Assert.True(await journal.TryClaimAsync("oci", Repository, Digest, "next-reclaim", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(10), default));
    }
}
