using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RegistryCleaner.Worker.Registries;
using RegistryCleaner.Worker.Registries.Oci;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Registries;

/// <summary>The untag batch's two keys are validated at start-up, and the throw-away manifest carries only what the OCI grammars allow.</summary>
public sealed class UntagBatchSettingsSpecs
{
    private static RegistriesOptions Load(Dictionary<string, string?> batch)
    {
        var values = new Dictionary<string, string?>
        {
            ["Registries:hub:Kind"] = "Oci",
            ["Registries:hub:Endpoint"] = "http://127.0.0.1:5999",
        };
        foreach (var (key, value) in batch)
            values[$"Registries:hub:UntagBatch:{key}"] = value;
        var services = new ServiceCollection();
        services.AddRegistries(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<RegistriesOptions>>().Value;
    }

    [Theory]
    [InlineData("LingerMilliseconds", "-1")]
    [InlineData("LingerMilliseconds", "1001")]
    [InlineData("MaxSize", "0")]
    [InlineData("MaxSize", "1001")]
    public void A_value_outside_its_range_stops_the_worker_and_names_the_key(string key, string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Load(new() { [key] = value }));

        Assert.Contains(error.Failures, f => f.StartsWith($"Registries:hub:UntagBatch:{key} must be between", StringComparison.Ordinal));
    }

    [Fact]
    public void The_defaults_and_the_bounds_are_accepted()
    {
        Assert.Equal((20, 32), (Load([]).Registries["hub"].UntagBatch.LingerMilliseconds, Load([]).Registries["hub"].UntagBatch.MaxSize));
        var bounds = Load(new() { ["LingerMilliseconds"] = "1000", ["MaxSize"] = "1" }).Registries["hub"].UntagBatch;
        Assert.Equal((1000, 1), (bounds.LingerMilliseconds, bounds.MaxSize));
    }

    [Theory]
    [InlineData("sha256:abc\",\"injected\":\"x")]
    [InlineData("sha256:ABCDEF0000000000000000000000000000000000000000000000000000000000")]
    [InlineData("md5")]
    [InlineData("")]
    public void A_digest_outside_the_grammar_never_reaches_a_throwaway_manifest(string digest)
    {
        Assert.Throws<ArgumentException>(() => ThrowawayManifest.Create([("v1", digest)]));
    }

    [Fact]
    public void The_throwaway_manifest_records_each_original_and_reads_it_back()
    {
        var a = "sha256:" + new string('a', 64);
        var manifest = ThrowawayManifest.Create([("v1", a), ("v1.2-rc_3", "sha512:" + new string('b', 128))]);

        Assert.True(ThrowawayManifest.IsThrowaway(manifest));
        Assert.Equal(a, ThrowawayManifest.OriginalOf(manifest, "v1"));
        Assert.Equal("sha512:" + new string('b', 128), ThrowawayManifest.OriginalOf(manifest, "v1.2-rc_3"));
        Assert.Null(ThrowawayManifest.OriginalOf(manifest, "v2"));
        Assert.NotEqual(ThrowawayManifest.Digest(manifest), ThrowawayManifest.Digest(ThrowawayManifest.Create([("v1", a)])));
    }
}
