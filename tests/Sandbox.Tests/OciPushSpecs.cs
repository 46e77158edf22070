using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace RegistryCleaner.Sandbox.Tests;

public sealed class OciPushSpecs : IAsyncLifetime
{
    private const string ManifestType = "application/vnd.oci.image.manifest.v1+json";
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

    internal static string LayerDigestOf(byte[] manifest) =>
        JsonDocument.Parse(manifest).RootElement.GetProperty("layers")[0].GetProperty("digest").GetString()!;

    private static string Digest(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static byte[] Manifest(string configDigest, int configSize) => Encoding.UTF8.GetBytes(
        $$"""{"schemaVersion":2,"mediaType":"{{ManifestType}}","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{configDigest}}","size":{{configSize}}},"layers":[]}""");

    private async Task<string> PushBlobMonolithic(string repository, byte[] blob)
    {
        using var response = await Http.Send(_http, HttpMethod.Post, $"/v2/{repository}/blobs/uploads/?digest={Digest(blob)}", new ByteArrayContent(blob));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return Digest(blob);
    }

    private async Task<HttpResponseMessage> PutManifest(string repository, string reference, byte[] manifest)
    {
        var content = new ByteArrayContent(manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue(ManifestType);
        return await Http.Send(_http, HttpMethod.Put, $"/v2/{repository}/manifests/{reference}", content);
    }

    [Fact]
    public async Task Chunked_upload_then_put_with_digest_creates_the_blob()
    {
        var blob = Encoding.UTF8.GetBytes("hello sandbox blob");
        using var start = await Http.Send(_http, HttpMethod.Post, "/v2/team/app/blobs/uploads/");
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        Assert.NotNull(Http.Header(start, "Docker-Upload-UUID"));
        var location = start.Headers.Location!;

        using var patch = await Http.Send(_http, HttpMethod.Patch, location.ToString(), new ByteArrayContent(blob[..5]));
        Assert.Equal(HttpStatusCode.Accepted, patch.StatusCode);
        Assert.Equal("0-4", Http.Header(patch, "Range"));

        using var put = await Http.Send(_http, HttpMethod.Put, $"{patch.Headers.Location}?digest={Digest(blob)}", new ByteArrayContent(blob[5..]));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(Digest(blob), Http.Header(put, "Docker-Content-Digest"));
        Assert.True(_server.State.BlobExists("oci", "team/app", Digest(blob)));
    }

    [Fact]
    public async Task Upload_with_a_wrong_digest_answers_400_DIGEST_INVALID()
    {
        using var start = await Http.Send(_http, HttpMethod.Post, "/v2/team/app/blobs/uploads/");
        var wrong = "sha256:" + new string('1', 64);
        using var put = await Http.Send(_http, HttpMethod.Put, $"{start.Headers.Location}?digest={wrong}", new ByteArrayContent([1, 2, 3]));
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("DIGEST_INVALID", await Http.OciErrorCode(put));
        Assert.False(_server.State.BlobExists("oci", "team/app", wrong));
    }

    [Fact]
    public async Task Manifest_put_stores_the_exact_bytes_and_media_type()
    {
        var config = Encoding.UTF8.GetBytes("""{"architecture":"amd64","os":"linux"}""");
        var configDigest = await PushBlobMonolithic("fresh/repo", config);
        var manifest = Manifest(configDigest, config.Length);

        using var put = await PutManifest("fresh/repo", "t1", manifest);

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(Digest(manifest), Http.Header(put, "Docker-Content-Digest"));
        Assert.EndsWith($"/v2/fresh/repo/manifests/{Digest(manifest)}", put.Headers.Location!.ToString());
        using var get = await _http.GetAsync("/v2/fresh/repo/manifests/t1");
        Assert.Equal(manifest, await get.Content.ReadAsByteArrayAsync());
        Assert.Equal(ManifestType, get.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Manifest_put_with_an_unknown_blob_answers_400_MANIFEST_BLOB_UNKNOWN()
    {
        using var put = await PutManifest("team/app", "t1", Manifest("sha256:" + new string('2', 64), 10));
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("MANIFEST_BLOB_UNKNOWN", await Http.OciErrorCode(put));
        Assert.DoesNotContain("t1", _server.State.Tags("oci", "team/app"));
    }

    [Fact]
    public async Task Manifest_put_by_a_wrong_digest_answers_400_DIGEST_INVALID()
    {
        var config = Encoding.UTF8.GetBytes("{}");
        var manifest = Manifest(await PushBlobMonolithic("team/app", config), config.Length);
        using var put = await PutManifest("team/app", "sha256:" + new string('3', 64), manifest);
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("DIGEST_INVALID", await Http.OciErrorCode(put));
    }

    [Fact]
    public async Task Overwriting_a_tag_with_a_throwaway_manifest_then_deleting_it_removes_only_that_tag()
    {
        var original = _server.State.DigestOf("oci", "team/app", "v1");
        var config = Encoding.UTF8.GetBytes($$"""{"throwaway":"{{Guid.NewGuid()}}"}""");
        var manifest = Manifest(await PushBlobMonolithic("team/app", config), config.Length);

        using var put = await PutManifest("team/app", "v1", manifest);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(Digest(manifest), _server.State.DigestOf("oci", "team/app", "v1"));

        using var delete = await Http.Send(_http, HttpMethod.Delete, $"/v2/team/app/manifests/{Digest(manifest)}");
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        Assert.Equal(["v1-alias", "v2", "v3", "v4"], _server.State.Tags("oci", "team/app"));
        Assert.Equal(original, _server.State.DigestOf("oci", "team/app", "v1-alias"));
    }

    [Fact]
    public async Task Cross_repository_mount_copies_a_blob()
    {
        var blob = Encoding.UTF8.GetBytes("mount me");
        var digest = await PushBlobMonolithic("team/app", blob);
        using var mount = await Http.Send(_http, HttpMethod.Post, $"/v2/team/worker/blobs/uploads/?mount={digest}&from=team/app");
        Assert.Equal(HttpStatusCode.Created, mount.StatusCode);
        Assert.True(_server.State.BlobExists("oci", "team/worker", digest));
    }

    [Fact]
    public async Task Unknown_upload_session_answers_404_BLOB_UPLOAD_UNKNOWN()
    {
        using var response = await Http.Send(_http, HttpMethod.Patch, "/v2/team/app/blobs/uploads/no-such-session", new ByteArrayContent([1]));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("BLOB_UPLOAD_UNKNOWN", await Http.OciErrorCode(response));
    }
}
