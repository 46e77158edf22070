using System.Net;

namespace RegistryCleaner.Sandbox.Tests;

public sealed class OciDeleteSpecs
{
    private static async Task<(SandboxServer Server, HttpClient Http)> Start(bool deleteEnabled = true, bool tagDelete = false)
    {
        var server = await TestSeeds.Start(TestSeeds.Oci(deleteEnabled, tagDelete));
        return (server, Http.Client(server, "oci"));
    }

    [Fact]
    public async Task Deleting_a_digest_removes_every_tag_pointing_at_it()
    {
        var (server, http) = await Start();
        await using var _ = server;
        var digest = server.State.DigestOf("oci", "team/app", "v1");

        using var response = await Http.Send(http, HttpMethod.Delete, $"/v2/team/app/manifests/{digest}");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(["v2", "v3", "v4"], server.State.Tags("oci", "team/app"));
        Assert.False(server.State.ManifestExists("oci", "team/app", digest!));
        using var head = await Http.Send(http, HttpMethod.Head, "/v2/team/app/manifests/v1");
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task Deleting_an_unknown_digest_or_repository_answers_404()
    {
        var (server, http) = await Start();
        await using var _ = server;
        var unknown = "sha256:" + new string('0', 64);

        using var manifest = await Http.Send(http, HttpMethod.Delete, $"/v2/team/app/manifests/{unknown}");
        Assert.Equal(HttpStatusCode.NotFound, manifest.StatusCode);
        Assert.Equal("MANIFEST_UNKNOWN", await Http.OciErrorCode(manifest));

        using var name = await Http.Send(http, HttpMethod.Delete, $"/v2/team/none/manifests/{unknown}");
        Assert.Equal(HttpStatusCode.NotFound, name.StatusCode);
        Assert.Equal("NAME_UNKNOWN", await Http.OciErrorCode(name));
    }

    [Fact]
    public async Task Deleting_a_digest_twice_answers_202_then_404()
    {
        var (server, http) = await Start();
        await using var _ = server;
        var digest = server.State.DigestOf("oci", "team/app", "v2");
        using var first = await Http.Send(http, HttpMethod.Delete, $"/v2/team/app/manifests/{digest}");
        using var second = await Http.Send(http, HttpMethod.Delete, $"/v2/team/app/manifests/{digest}");
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
    }

    [Theory]
    [InlineData("/v2/team/app/manifests/v1")]
    [InlineData("/v2/team/app/manifests/sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("/v2/team/none/manifests/sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task Delete_disabled_answers_405_UNSUPPORTED_before_checking_existence(string path)
    {
        var (server, http) = await Start(deleteEnabled: false);
        await using var _ = server;
        using var response = await Http.Send(http, HttpMethod.Delete, path);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("UNSUPPORTED", await Http.OciErrorCode(response));
        Assert.Equal(5, server.State.Tags("oci", "team/app").Count);
    }

    [Fact]
    public async Task Delete_can_be_switched_on_at_run_time()
    {
        var (server, http) = await Start(deleteEnabled: false);
        await using var _ = server;
        server.State.SetDeleteEnabled("oci", true);
        var digest = server.State.DigestOf("oci", "team/app", "v2");
        using var response = await Http.Send(http, HttpMethod.Delete, $"/v2/team/app/manifests/{digest}");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Tag_delete_without_support_answers_400_DIGEST_INVALID_and_keeps_the_tag()
    {
        var (server, http) = await Start(tagDelete: false);
        await using var _ = server;
        using var response = await Http.Send(http, HttpMethod.Delete, "/v2/team/app/manifests/v1");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("DIGEST_INVALID", await Http.OciErrorCode(response));
        Assert.Contains("v1", server.State.Tags("oci", "team/app"));
    }

    [Fact]
    public async Task Tag_delete_with_support_removes_only_that_tag()
    {
        var (server, http) = await Start(tagDelete: true);
        await using var _ = server;
        var digest = server.State.DigestOf("oci", "team/app", "v1");

        using var response = await Http.Send(http, HttpMethod.Delete, "/v2/team/app/manifests/v1");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(["v1-alias", "v2", "v3", "v4"], server.State.Tags("oci", "team/app"));
        Assert.True(server.State.ManifestExists("oci", "team/app", digest!));
    }

    [Theory]
    [InlineData("/v2/team/app/manifests/absent", "MANIFEST_UNKNOWN")]
    [InlineData("/v2/team/none/manifests/v1", "NAME_UNKNOWN")]
    public async Task Tag_delete_of_something_absent_answers_404(string path, string code)
    {
        var (server, http) = await Start(tagDelete: true);
        await using var _ = server;
        using var response = await Http.Send(http, HttpMethod.Delete, path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(code, await Http.OciErrorCode(response));
    }

    [Fact]
    public async Task Blob_delete_answers_202_then_404_and_405_when_disabled()
    {
        var (server, http) = await Start();
        await using var _ = server;
        var digest = Sandbox.Tests.OciPushSpecs.LayerDigestOf(await (await http.GetAsync("/v2/team/app/manifests/v1")).Content.ReadAsByteArrayAsync());
        using var first = await Http.Send(http, HttpMethod.Delete, $"/v2/team/app/blobs/{digest}");
        using var second = await Http.Send(http, HttpMethod.Delete, $"/v2/team/app/blobs/{digest}");
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
        Assert.Equal("BLOB_UNKNOWN", await Http.OciErrorCode(second));

        server.State.SetDeleteEnabled("oci", false);
        using var disabled = await Http.Send(http, HttpMethod.Delete, $"/v2/team/app/blobs/{digest}");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, disabled.StatusCode);
    }
}
