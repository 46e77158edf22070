using System.Net;
using RegistryCleaner.Contracts;
using RegistryCleaner.Integration.Tests.Contract;
using RegistryCleaner.Integration.Tests.Support;
using RegistryCleaner.Sandbox;

namespace RegistryCleaner.Integration.Tests;

/// <summary>
/// Reclaim on the real docker-registry (and the sandbox's referrers API), through real RabbitMQ, with a grace window of
/// zero: what it deletes with a digest, what it never deletes.
/// </summary>
public sealed class ReclaimTests : IAsyncLifetime
{
    private BatchVirtualHost _vhost = null!;
    private FaultProxy _proxy = null!;
    private SandboxServer _sandbox = null!;
    private ReclaimHost _worker = null!;
    private JournalObserver _observer = null!;
    private readonly OciImages _images = new(TestServices.OciRegistry);
    private OciImages _sandboxImages = null!;

    public async Task InitializeAsync()
    {
        _vhost = await BatchVirtualHost.CreateAsync("reclaim");
        _proxy = await FaultProxy.StartAsync(TestServices.OciRegistry);
        _sandbox = await SandboxServer.StartAsync(new SandboxSeed { Registries = [new SeedRegistry { Name = "referrers", Kind = RegistryKind.Oci, ReferrersSupported = true }] });
        _sandboxImages = new OciImages(_sandbox.EndpointOf("referrers"));
        _worker = await ReclaimHost.StartAsync(_vhost.RabbitMqUri, new Dictionary<string, string?>
        {
            ["Registries:oci:Kind"] = "Oci",
            ["Registries:oci:Endpoint"] = TestServices.OciRegistry.ToString(),
            ["Registries:proxied:Kind"] = "Oci",
            ["Registries:proxied:Endpoint"] = _proxy.Address.ToString(),
            ["Registries:referrers:Kind"] = "Oci",
            ["Registries:referrers:Endpoint"] = _sandbox.EndpointOf("referrers").ToString(),
        });
        _observer = await JournalObserver.ConnectAsync(_vhost.RabbitMqUri);
    }

    public async Task DisposeAsync()
    {
        await _observer.DisposeAsync();
        await _worker.DisposeAsync();
        await _proxy.DisposeAsync();
        await _sandbox.DisposeAsync();
        _images.Dispose();
        _sandboxImages.Dispose();
        await _vhost.DeleteAsync();
    }

    [Fact]
    public async Task A_reclaimed_digest_is_gone_with_its_bytes_counted_and_no_longer_restorable()
    {
        var repository = TestServices.UniqueRepository("reclaim");
        var shared = await _images.LayerAsync(repository, 2000);
        var doomed = await _images.ImageAsync(repository, [shared, await _images.LayerAsync(repository, 3000)], "doomed", "v1");
        var kept = await _images.ImageAsync(repository, [shared], "kept", "keep");
        var deletion = await _observer.DeleteAsync("oci", repository, "v1");

        var dry = await _observer.ReclaimAsync("oci", dryRun: true);
        Assert.Equal(HttpStatusCode.OK, await _images.ManifestStatusAsync(repository, doomed.Digest));
        var run = await _observer.ReclaimAsync("oci");

        Assert.True(run.Succeeded, run.Detail);
        Assert.True(dry.DryRun);
        var reclaimed = await _observer.EventAsync<DigestReclaimed>(e => e.RunId == run.RunId && e.Digest == doomed.Digest);
        Assert.Equal(["v1"], reclaimed.Tags);
        // Its config and own layer; the layer the kept image shares does not count.
        Assert.Equal(doomed.Blobs[0].Size + 3000, reclaimed.BytesFreed);
        Assert.Equal(HttpStatusCode.NotFound, await _images.ManifestStatusAsync(repository, doomed.Digest));
        Assert.Empty(await _images.PullProblemsAsync(repository, "keep"));
        Assert.Equal(kept.Digest, await ResolveAsync(repository, "keep"));

        var refused = Assert.IsType<RestoreFailed>(await _observer.RestoreAsync(new RestoreTag
        {
            RequestId = Guid.NewGuid(), Registry = "oci", Repository = repository, Tag = "v1", DeletionRequestId = deletion.RequestId,
        }));
        Assert.Equal(RestoreFailure.Reclaimed, refused.Failure);
        Assert.StartsWith("Not restorable: " + doomed.Digest + " was reclaimed at ", refused.Detail);
        var journaled = Assert.Single(await _observer.HistoryAsync(new QueryJournal { RunId = run.RunId }));
        Assert.Equal((JournalAction.ReclaimDigest, JournalOutcome.Reclaimed, doomed.Digest, reclaimed.BytesFreed),
            (journaled.Action, journaled.Outcome, journaled.Digest, journaled.BytesFreed));
    }

    [Fact]
    public async Task A_digest_tagged_again_before_reclaim_survives_and_is_marked_kept()
    {
        var repository = TestServices.UniqueRepository("retagged");
        var image = await _images.ImageAsync(repository, [await _images.LayerAsync(repository, 500)], "one", "v1");
        await _observer.DeleteAsync("oci", repository, "v1");
        await _images.ManifestAsync(repository, image.Manifest, OciImages.ManifestType, "again");

        var run = await _observer.ReclaimAsync("oci");

        Assert.True(run.Succeeded, run.Detail);
        Assert.DoesNotContain(_observer.Events<DigestReclaimed>(), e => e.Digest == image.Digest);
        Assert.Empty(await _images.PullProblemsAsync(repository, "again"));
        var kept = Assert.Single(await _observer.HistoryAsync(new QueryJournal { RunId = run.RunId, Repository = repository }));
        Assert.Equal((JournalOutcome.Kept, image.Digest), (kept.Outcome, kept.Digest));
        Assert.Contains("again", kept.Detail);
    }

    [Fact]
    public async Task A_tag_pushed_at_the_same_digest_during_the_reclaim_survives()
    {
        var repository = TestServices.UniqueRepository("race");
        var image = await _images.ImageAsync(repository, [await _images.LayerAsync(repository, 500)], "one", "v1");
        await _observer.DeleteAsync("proxied", repository, "v1");
        // The moment the reclaim saves the manifest (its last look before the DELETE), someone pushes a tag at that digest.
        var pushed = 0;
        _proxy.BeforeForward = async request =>
        {
            if (request.Method == "GET" && request.Path.Value == $"/v2/{repository}/manifests/{image.Digest}" && Interlocked.Exchange(ref pushed, 1) == 0)
                await _images.ManifestAsync(repository, image.Manifest, OciImages.ManifestType, "late");
        };

        var run = await _observer.ReclaimAsync("proxied");
        _proxy.BeforeForward = null;

        Assert.Equal(1, pushed);
        Assert.True(run.Succeeded, run.Detail);
        Assert.Equal(image.Digest, await ResolveAsync(repository, "late"));
        Assert.Empty(await _images.PullProblemsAsync(repository, "late"));
        var kept = Assert.Single(await _observer.HistoryAsync(new QueryJournal { RunId = run.RunId, Repository = repository }));
        Assert.Equal(JournalOutcome.Kept, kept.Outcome);
        Assert.Contains("late", kept.Detail);
    }

    [Fact]
    public async Task A_cosign_signature_tag_goes_with_its_image_and_a_kept_image_keeps_its_signature()
    {
        var repository = TestServices.UniqueRepository("cosign");
        var doomed = await _images.ImageAsync(repository, [await _images.LayerAsync(repository, 500)], "doomed", "v1");
        var kept = await _images.ImageAsync(repository, [await _images.LayerAsync(repository, 500)], "kept", "keep");
        var doomedSignature = await _images.ReferrerAsync(repository, doomed, "application/vnd.dev.cosign.artifact.sig.v1+json", CosignTag(doomed, "sig"));
        var doomedSbom = await _images.ReferrerAsync(repository, doomed, "application/vnd.dev.cosign.artifact.sbom.v1+json", CosignTag(doomed, "sbom"));
        var keptSignature = await _images.ReferrerAsync(repository, kept, "application/vnd.dev.cosign.artifact.sig.v1+json", CosignTag(kept, "sig"));
        await _observer.DeleteAsync("oci", repository, "v1");

        var run = await _observer.ReclaimAsync("oci");

        Assert.True(run.Succeeded, run.Detail);
        var reclaimed = await _observer.EventAsync<DigestReclaimed>(e => e.RunId == run.RunId && e.Digest == doomed.Digest);
        Assert.Equal(new[] { doomedSbom.Digest, doomedSignature.Digest }.Order(), reclaimed.AlsoDeleted.Order());
        Assert.Equal(HttpStatusCode.NotFound, await _images.ManifestStatusAsync(repository, doomedSignature.Digest));
        Assert.Equal(HttpStatusCode.NotFound, await _images.ManifestStatusAsync(repository, doomedSbom.Digest));
        using var pusher = new ImagePusher(TestServices.OciRegistry);
        Assert.Equal(new[] { "keep", CosignTag(kept, "sig") }.Order(), await pusher.TagsAsync(repository));
        Assert.Equal(keptSignature.Digest, await ResolveAsync(repository, CosignTag(kept, "sig")));
    }

    [Fact]
    public async Task An_OCI_1_1_referrer_goes_with_its_image_through_the_referrers_API_and_a_kept_image_keeps_its_own()
    {
        var repository = "team/signed";
        var doomed = await _sandboxImages.ImageAsync(repository, [await _sandboxImages.LayerAsync(repository, 300)], "doomed", "v1");
        var kept = await _sandboxImages.ImageAsync(repository, [await _sandboxImages.LayerAsync(repository, 300)], "kept", "keep");
        var doomedReferrer = await _sandboxImages.ReferrerAsync(repository, doomed, "application/spdx+json");
        var keptReferrer = await _sandboxImages.ReferrerAsync(repository, kept, "application/spdx+json");
        await _observer.DeleteAsync("referrers", repository, "v1");

        var run = await _observer.ReclaimAsync("referrers");

        Assert.True(run.Succeeded, run.Detail);
        var reclaimed = await _observer.EventAsync<DigestReclaimed>(e => e.RunId == run.RunId && e.Digest == doomed.Digest);
        Assert.Equal([doomedReferrer.Digest], reclaimed.AlsoDeleted);
        Assert.Equal(HttpStatusCode.NotFound, await _sandboxImages.ManifestStatusAsync(repository, doomed.Digest));
        Assert.Equal(HttpStatusCode.NotFound, await _sandboxImages.ManifestStatusAsync(repository, doomedReferrer.Digest));
        Assert.Equal(HttpStatusCode.OK, await _sandboxImages.ManifestStatusAsync(repository, keptReferrer.Digest));
        Assert.Empty(await _sandboxImages.PullProblemsAsync(repository, "keep"));
    }

    [Fact]
    public async Task Reclaiming_an_index_removes_its_platform_manifests_but_not_one_another_index_lists()
    {
        var repository = TestServices.UniqueRepository("index");
        var only = await _images.ImageAsync(repository, [await _images.LayerAsync(repository, 400)], "amd64");
        var shared = await _images.ImageAsync(repository, [await _images.LayerAsync(repository, 400)], "arm64");
        var other = await _images.ImageAsync(repository, [await _images.LayerAsync(repository, 400)], "s390x");
        var doomed = await _images.IndexAsync(repository, [only, shared], "v1");
        await _images.IndexAsync(repository, [shared, other], "v2");
        var deletion = await _observer.DeleteAsync("oci", repository, "v1");
        Assert.Equal(doomed.Digest, deletion.Digest);

        var run = await _observer.ReclaimAsync("oci");

        Assert.True(run.Succeeded, run.Detail);
        var reclaimed = await _observer.EventAsync<DigestReclaimed>(e => e.RunId == run.RunId && e.Digest == doomed.Digest);
        Assert.Equal([only.Digest], reclaimed.AlsoDeleted);
        Assert.Equal(HttpStatusCode.NotFound, await _images.ManifestStatusAsync(repository, doomed.Digest));
        Assert.Equal(HttpStatusCode.NotFound, await _images.ManifestStatusAsync(repository, only.Digest));
        Assert.Equal(HttpStatusCode.OK, await _images.ManifestStatusAsync(repository, shared.Digest));
        Assert.Empty(await _images.PullProblemsAsync(repository, "v2"));
    }

    [Fact]
    public async Task Reclaim_refuses_an_unknown_registry_and_touches_nothing()
    {
        var repository = TestServices.UniqueRepository("refused");
        var image = await _images.ImageAsync(repository, [await _images.LayerAsync(repository, 100)], "one", "v1");
        await _observer.DeleteAsync("oci", repository, "v1");

        var unknown = await _observer.ReclaimAsync("nowhere");

        Assert.False(unknown.Succeeded);
        Assert.Contains("'nowhere' is not configured", unknown.Detail);
        Assert.Equal(HttpStatusCode.OK, await _images.ManifestStatusAsync(repository, image.Digest));
    }

    private static string CosignTag(OciImages.Pushed image, string kind) => $"sha256-{image.Digest["sha256:".Length..]}.{kind}";

    private static async Task<string?> ResolveAsync(string repository, string tag)
    {
        using var pusher = new ImagePusher(TestServices.OciRegistry);
        return await pusher.ResolveAsync(repository, tag);
    }
}
