using RegistryCleaner.Contracts;
using RegistryCleaner.Integration.Tests.Support;
using Xunit.Abstractions;

namespace RegistryCleaner.Integration.Tests;

/// <summary>The space a clean-up frees: delete, reclaim, then the registry's plain garbage collection.</summary>
public sealed class ReclaimSpaceTests(ITestOutputHelper output)
{
    private const int Images = 20;
    private const int LayerBytes = 1024 * 1024;

    /// <summary>A port of this test's own registry, which it stops for garbage collection (RC_TEST_PRIVATE_REGISTRY_PORT, default 5195).</summary>
    private static int Port => int.TryParse(Environment.GetEnvironmentVariable("RC_TEST_PRIVATE_REGISTRY_PORT"), out var port) ? port : 5195;

    [Fact]
    public async Task Deleting_twenty_images_reclaiming_them_and_a_plain_garbage_collection_free_their_bytes_and_a_kept_image_still_pulls()
    {
        await using var registry = await PrivateRegistry.StartAsync(Port);
        var vhost = await BatchVirtualHost.CreateAsync("space");
        try
        {
            await using var worker = await ReclaimHost.StartAsync(vhost.RabbitMqUri, new Dictionary<string, string?>
            {
                ["Registries:space:Kind"] = "Oci",
                ["Registries:space:Endpoint"] = registry.Url.ToString(),
            });
            await using var observer = await JournalObserver.ConnectAsync(vhost.RabbitMqUri);
            using var images = new OciImages(registry.Url);
            const string repository = "space/app";

            var shared = await images.LayerAsync(repository, LayerBytes);
            await images.ImageAsync(repository, [shared, await images.LayerAsync(repository, LayerBytes)], "kept", "keep");
            long uniqueBytes = 0, blobBytes = 0;
            for (var i = 0; i < Images; i++)
            {
                var image = await images.ImageAsync(repository, [await images.LayerAsync(repository, LayerBytes), shared], $"image-{i}", $"v{i}");
                blobBytes += image.Blobs[0].Size + image.Blobs[1].Size; // config and its own layer; the shared one stays with the kept image
                uniqueBytes += image.Manifest.Length + image.Blobs[0].Size + image.Blobs[1].Size;
            }
            var pushed = registry.BytesOnDisk();

            await Task.WhenAll(Enumerable.Range(0, Images).Select(i => observer.DeleteAsync("space", repository, $"v{i}")));
            await registry.StopAsync();
            await registry.GarbageCollectAsync();
            var afterDeleteAndGc = registry.BytesOnDisk();
            await registry.StartAsync();

            var run = await observer.ReclaimAsync("space");
            Assert.True(run.Succeeded, run.Detail);
            Assert.Equal(Images, run.Reclaimed);
            await registry.StopAsync();
            await registry.GarbageCollectAsync();
            var afterReclaimAndGc = registry.BytesOnDisk();
            await registry.StartAsync();

            var freed = pushed - afterReclaimAndGc;
            output.WriteLine($"unique bytes of the {Images} deleted images: {uniqueBytes:N0}; on disk after pushing: {pushed:N0}");
            output.WriteLine($"delete + plain GC freed {pushed - afterDeleteAndGc:N0} ({100.0 * (pushed - afterDeleteAndGc) / uniqueBytes:F1} %)");
            output.WriteLine($"delete + reclaim + plain GC freed {freed:N0} ({100.0 * freed / uniqueBytes:F1} %); reclaim reported {run.BytesFreed:N0} bytes freed");
            Assert.True(freed >= 0.95 * uniqueBytes, $"freed {freed:N0} of {uniqueBytes:N0} unique bytes");
            Assert.Equal(blobBytes, run.BytesFreed);
            Assert.Empty(await images.PullProblemsAsync(repository, "keep"));
        }
        finally
        {
            await vhost.DeleteAsync();
        }
    }
}
