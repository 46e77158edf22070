using System.Net;
using System.Security.Cryptography;
using System.Text.Json;

namespace RegistryCleaner.Sandbox.Tests;

public sealed class OciReadSpecs : IAsyncLifetime
{
    private SandboxServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await TestSeeds.Start(TestSeeds.Oci());
        _http = Http.Client(_server, "oci");
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Base_answers_200_with_an_empty_object()
    {
        using var response = await _http.GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
        Assert.Equal("registry/2.0", Http.Header(response, "Docker-Distribution-API-Version"));
    }

    [Fact]
    public async Task Tag_list_returns_every_tag_sorted()
    {
        using var response = await _http.GetAsync("/v2/team/app/tags/list");
        var body = await Http.Json(response);
        Assert.Equal("team/app", body.GetProperty("name").GetString());
        Assert.Equal(["v1", "v1-alias", "v2", "v3", "v4"], body.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!));
        Assert.Null(Http.Header(response, "Link"));
    }

    [Fact]
    public async Task Tag_list_pages_with_a_next_link()
    {
        var collected = new List<string>();
        var next = "/v2/team/app/tags/list?n=2";
        var pages = 0;
        while (next is not null)
        {
            using var response = await _http.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            collected.AddRange((await Http.Json(response)).GetProperty("tags").EnumerateArray().Select(t => t.GetString()!));
            var link = Http.Header(response, "Link");
            next = link is null ? null : link[1..link.IndexOf('>')];
            if (link is not null) Assert.EndsWith("; rel=\"next\"", link);
            pages++;
        }
        Assert.Equal(3, pages);
        Assert.Equal(["v1", "v1-alias", "v2", "v3", "v4"], collected);
    }

    [Fact]
    public async Task First_tag_page_link_names_n_and_last()
    {
        using var response = await _http.GetAsync("/v2/team/app/tags/list?n=2");
        Assert.Equal("</v2/team/app/tags/list?n=2&last=v1-alias>; rel=\"next\"", Http.Header(response, "Link"));
    }

    [Fact]
    public async Task Tag_list_of_an_unknown_repository_is_NAME_UNKNOWN()
    {
        using var response = await _http.GetAsync("/v2/team/nothing/tags/list");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("NAME_UNKNOWN", await Http.OciErrorCode(response));
    }

    [Fact]
    public async Task Catalog_pages_with_a_next_link()
    {
        var collected = new List<string>();
        string? next = "/v2/_catalog?n=3";
        while (next is not null)
        {
            using var response = await _http.GetAsync(next);
            collected.AddRange((await Http.Json(response)).GetProperty("repositories").EnumerateArray().Select(t => t.GetString()!));
            var link = Http.Header(response, "Link");
            next = link is null ? null : link[1..link.IndexOf('>')];
        }
        Assert.Equal(["alpha", "beta/one", "team/app", "team/worker"], collected);
    }

    [Fact]
    public async Task Head_manifest_gives_digest_type_and_length_of_the_real_bytes()
    {
        using var head = await Http.Send(_http, HttpMethod.Head, "/v2/team/app/manifests/v1");
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        var digest = Http.Header(head, "Docker-Content-Digest");
        Assert.Equal("application/vnd.oci.image.manifest.v1+json", head.Content.Headers.ContentType!.MediaType);

        using var get = await _http.GetAsync("/v2/team/app/manifests/v1");
        var bytes = await get.Content.ReadAsByteArrayAsync();
        Assert.Equal(bytes.Length, head.Content.Headers.ContentLength);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)), digest);
        Assert.Equal(_server.State.DigestOf("oci", "team/app", "v1"), digest);
    }

    [Fact]
    public async Task Manifest_references_a_config_blob_with_created_and_a_layer_that_exist()
    {
        using var get = await _http.GetAsync("/v2/team/app/manifests/v2");
        var manifest = await Http.Json(get);
        Assert.Equal(2, manifest.GetProperty("schemaVersion").GetInt32());
        var configDigest = manifest.GetProperty("config").GetProperty("digest").GetString();
        using var config = await _http.GetAsync($"/v2/team/app/blobs/{configDigest}");
        Assert.Equal(HttpStatusCode.OK, config.StatusCode);
        var configBytes = await config.Content.ReadAsByteArrayAsync();
        Assert.Equal(configDigest, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(configBytes)));
        Assert.Equal("2026-09-03T00:00:00Z", JsonDocument.Parse(configBytes).RootElement.GetProperty("created").GetString());

        foreach (var layer in manifest.GetProperty("layers").EnumerateArray())
        {
            using var blob = await Http.Send(_http, HttpMethod.Head, $"/v2/team/app/blobs/{layer.GetProperty("digest").GetString()}");
            Assert.Equal(HttpStatusCode.OK, blob.StatusCode);
            Assert.Equal(layer.GetProperty("size").GetInt64(), blob.Content.Headers.ContentLength);
        }
    }

    [Fact]
    public void Tags_with_the_same_image_share_a_digest_and_other_images_differ()
    {
        var state = _server.State;
        Assert.Equal(state.DigestOf("oci", "team/app", "v1"), state.DigestOf("oci", "team/app", "v1-alias"));
        Assert.NotEqual(state.DigestOf("oci", "team/app", "v1"), state.DigestOf("oci", "team/app", "v2"));
    }

    [Fact]
    public async Task Manifest_by_digest_is_served()
    {
        var digest = _server.State.DigestOf("oci", "team/app", "v3");
        using var response = await Http.Send(_http, HttpMethod.Head, $"/v2/team/app/manifests/{digest}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(digest, Http.Header(response, "Docker-Content-Digest"));
    }

    [Theory]
    [InlineData("/v2/team/app/manifests/nope", "MANIFEST_UNKNOWN")]
    [InlineData("/v2/team/nope/manifests/v1", "NAME_UNKNOWN")]
    [InlineData("/v2/team/app/manifests/sha256:0000000000000000000000000000000000000000000000000000000000000000", "MANIFEST_UNKNOWN")]
    public async Task Missing_manifest_answers_404_with_an_oci_error(string path, string code)
    {
        using var response = await _http.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(code, await Http.OciErrorCode(response));
    }

    [Theory]
    [InlineData("/v2/Team/App/tags/list", "NAME_INVALID")]
    [InlineData("/v2/team/app/manifests/-bad", "TAG_INVALID")]
    [InlineData("/v2/team/app/manifests/sha256:xyz", "DIGEST_INVALID")]
    public async Task Invalid_names_answer_400(string path, string code)
    {
        using var response = await _http.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, await Http.OciErrorCode(response));
    }

    [Theory]
    [InlineData("/api/v2.0/projects")]
    [InlineData("/v2/team/app/unknown/thing")]
    [InlineData("/")]
    public async Task Unknown_paths_get_a_plain_text_404_without_an_oci_body(string path)
    {
        using var response = await _http.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.DoesNotContain("errors", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Tags_added_through_the_state_are_served()
    {
        _server.State.AddTag("oci", "brand/new", TestSeeds.Tag("n1", "v1"));
        using var response = await _http.GetAsync("/v2/brand/new/tags/list");
        Assert.Equal(["n1"], (await Http.Json(response)).GetProperty("tags").EnumerateArray().Select(t => t.GetString()!));
        using var head = await Http.Send(_http, HttpMethod.Head, "/v2/brand/new/manifests/n1");
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }
}
