using System.Net;

namespace RegistryCleaner.Sandbox.Tests;

public sealed class SeedSpecs
{
    private static string SamplePath => Path.Combine(AppContext.BaseDirectory, "sample-seed.json");

    [Fact]
    public async Task The_sample_seed_starts_one_registry_of_each_kind()
    {
        await using var server = await SandboxServer.StartFromFileAsync(SamplePath);
        Assert.Equal(["ims", "ncr", "oci", "swr"], server.RegistryNames.Order());
        foreach (var name in server.RegistryNames)
        {
            Assert.Equal("127.0.0.1", server.EndpointOf(name).Host);
            Assert.NotEmpty(server.State.Repositories(name));
        }
        Assert.Equal(4, server.RegistryNames.Select(n => server.EndpointOf(n).Port).Distinct().Count());
    }

    [Fact]
    public async Task The_sample_seed_has_two_oci_tags_sharing_one_image_and_times_within_90_days()
    {
        var seed = await SandboxSeed.LoadAsync(SamplePath);
        var oci = seed.Registries.Single(r => r.Kind == RegistryKind.Oci);
        Assert.Contains(oci.Repositories, r => r.Tags.GroupBy(t => t.Image).Any(g => g.Count() >= 2));
        var created = seed.Registries.SelectMany(r => r.Repositories).SelectMany(r => r.Tags).Select(t => t.Created!.Value).ToList();
        Assert.True(created.Max() - created.Min() <= TimeSpan.FromDays(90));
        Assert.True(created.Max() - created.Min() >= TimeSpan.FromDays(60));
    }

    [Fact]
    public void Seed_json_uses_camel_case_and_enum_names()
    {
        var seed = new SandboxSeed { Registries = [TestSeeds.Oci(auth: new SeedAuth { Mode = AuthMode.Bearer, Username = "u", Password = "p" })] };
        var json = seed.ToJson();
        Assert.Contains("\"kind\": \"Oci\"", json);
        Assert.Contains("\"mode\": \"Bearer\"", json);
        Assert.Contains("\"tagDeleteSupported\"", json);
        var back = SandboxSeed.FromJson(json);
        Assert.Equal(AuthMode.Bearer, back.Registries[0].Auth.Mode);
        Assert.Equal(seed.Registries[0].Repositories[0].Tags[0], back.Registries[0].Repositories[0].Tags[0]);
    }

    [Fact]
    public void Seed_json_from_the_documented_shape_loads()
    {
        var seed = SandboxSeed.FromJson("""
            { "registries": [
              { "name": "oci", "kind": "Oci", "deleteEnabled": true, "tagDeleteSupported": false,
                "auth": { "mode": "Basic", "username": "u", "password": "p" },
                "repositories": [ { "name": "team/app", "tags": [ { "name": "v1", "image": "a", "created": "2026-01-01T00:00:00Z" }, { "name": "v1-alias", "image": "a" } ] } ] },
              { "name": "ims", "kind": "Ims", "projectId": "p1", "accessKey": "AK", "secretKey": "SK", "token": "t",
                "repositories": [ { "name": "img", "tags": [ { "name": "k", "value": "v" } ] } ] }
            ] }
            """);
        Assert.Equal(AuthMode.Basic, seed.Registries[0].Auth.Mode);
        Assert.Equal("p1", seed.Registries[1].ProjectId);
        Assert.Equal("v", seed.Registries[1].Repositories[0].Tags[0].Value);
    }

    [Fact]
    public async Task Unknown_registry_names_are_rejected()
    {
        await using var server = await TestSeeds.Start(TestSeeds.Swr());
        Assert.Throws<ArgumentException>(() => server.EndpointOf("nope"));
        Assert.Throws<ArgumentException>(() => server.State.Tags("nope", "x"));
        Assert.Empty(server.State.Tags("swr", "no/such"));
        Assert.Null(server.State.DigestOf("swr", "acme/web", "nope"));
    }

    [Fact]
    public async Task Swr_digests_are_generated_deterministically()
    {
        await using var first = await TestSeeds.Start(TestSeeds.Swr());
        await using var second = await TestSeeds.Start(TestSeeds.Swr());
        var digest = first.State.DigestOf("swr", "acme/web", "v1");
        Assert.Matches("^sha256:[0-9a-f]{64}$", digest);
        Assert.Equal(digest, second.State.DigestOf("swr", "acme/web", "v1"));
        Assert.NotEqual(digest, first.State.DigestOf("swr", "acme/web", "v2"));
    }

    [Fact]
    public async Task Thousands_of_concurrent_requests_leave_consistent_state()
    {
        var tags = Enumerable.Range(0, 1000).Select(i => new SeedTag { Name = $"t{i}" }).ToList();
        var registry = TestSeeds.Swr() with { Repositories = [new SeedRepository { Name = "acme/load", Tags = tags }] };
        await using var server = await TestSeeds.Start(registry);
        using var http = Http.Client(server, "swr");
        http.DefaultRequestHeaders.Add("X-Auth-Token", TestSeeds.IamToken);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 2000).Select(async i =>
        {
            using var response = await http.DeleteAsync($"/v2/manage/namespaces/acme/repos/load/tags/t{i % 1000}");
            return (int)response.StatusCode;
        }));

        Assert.Equal(1000, statuses.Count(s => s == 204));
        Assert.Equal(1000, statuses.Count(s => s == 404));
        Assert.Empty(server.State.Tags("swr", "acme/load"));
        Assert.Equal(2000, server.Requests.Count);
        using var response = await http.DeleteAsync("/v2/manage/namespaces/acme/repos/load");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }
}
