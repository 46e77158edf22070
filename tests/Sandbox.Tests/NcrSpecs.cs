using System.Net;

namespace RegistryCleaner.Sandbox.Tests;

public sealed class NcrSpecs : IAsyncLifetime
{
    private SandboxServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await TestSeeds.Start(TestSeeds.Ncr());
        _http = new HttpClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private async Task<HttpResponseMessage> Signed(HttpMethod method, string path, string? secretKey = null, string? accessKey = null, DateTimeOffset? at = null)
    {
        using var request = Http.NcrSigned(_server, method, path, accessKey ?? TestSeeds.AccessKey, secretKey ?? TestSeeds.SecretKey, at);
        return await _http.SendAsync(request);
    }

    [Fact]
    public void The_endpoint_includes_the_api_base_path()
    {
        var endpoint = _server.EndpointOf("ncr");
        Assert.Equal("127.0.0.1", endpoint.Host);
        Assert.Equal("/ncr/api/v2", endpoint.AbsolutePath);
    }

    [Fact]
    public async Task Deleting_a_tag_of_an_encoded_image_name_answers_204_then_404()
    {
        using var first = await Signed(HttpMethod.Delete, "/ncr/api/v2/repositories/myreg/hello%2Fworld/tags/v1");
        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.DoesNotContain("v1", _server.State.Tags("ncr", "hello/world"));

        using var second = await Signed(HttpMethod.Delete, "/ncr/api/v2/repositories/myreg/hello%2Fworld/tags/v1");
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
        Assert.Equal("NOT_FOUND", (await Http.Json(second)).GetProperty("errors")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_unencoded_slash_in_the_image_name_is_an_unknown_route()
    {
        using var response = await Signed(HttpMethod.Delete, "/ncr/api/v2/repositories/myreg/hello/world/tags/v1");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("300", (await Http.Json(response)).GetProperty("error").GetProperty("errorCode").GetString());
        Assert.Contains("v1", _server.State.Tags("ncr", "hello/world"));
    }

    [Fact]
    public async Task An_unknown_registry_answers_404()
    {
        using var response = await Signed(HttpMethod.Delete, "/ncr/api/v2/repositories/other/plain/tags/r1");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(["r1"], _server.State.Tags("ncr", "plain"));
    }

    [Fact]
    public async Task Tag_list_pages_by_page_number()
    {
        using var first = await Signed(HttpMethod.Get, "/ncr/api/v2/repositories/myreg/hello%2Fworld/tags?page=1&pagesize=10");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var body = await Http.Json(first);
        Assert.Equal(25, body.GetProperty("count").GetInt32());
        Assert.Equal(2, body.GetProperty("next").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("previous").ValueKind);
        var item = body.GetProperty("results")[0];
        foreach (var field in new[] { "name", "digest", "full_size", "last_updated", "creator", "images" })
            Assert.True(item.TryGetProperty(field, out _), field);
        Assert.StartsWith("sha256:", item.GetProperty("digest").GetString());

        using var last = await Signed(HttpMethod.Get, "/ncr/api/v2/repositories/myreg/hello%2Fworld/tags?page=3&pagesize=10");
        var lastBody = await Http.Json(last);
        Assert.Equal(5, lastBody.GetProperty("results").GetArrayLength());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, lastBody.GetProperty("next").ValueKind);
        Assert.Equal(2, lastBody.GetProperty("previous").GetInt32());
    }

    [Fact]
    public async Task Image_list_names_every_image()
    {
        using var response = await Signed(HttpMethod.Get, "/ncr/api/v2/repositories/myreg?page=1&pagesize=50");
        var body = await Http.Json(response);
        Assert.Equal(2, body.GetProperty("count").GetInt32());
        Assert.Equal(["hello/world", "plain"], body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("name").GetString()!));
    }

    [Fact]
    public async Task Missing_signature_headers_answer_401()
    {
        using var response = await _http.DeleteAsync(new Uri(_server.EndpointOf("ncr"), "/ncr/api/v2/repositories/myreg/plain/tags/r1"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("200", (await Http.Json(response)).GetProperty("error").GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task A_wrong_secret_answers_401()
    {
        using var response = await Signed(HttpMethod.Delete, "/ncr/api/v2/repositories/myreg/plain/tags/r1", secretKey: "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(["r1"], _server.State.Tags("ncr", "plain"));
    }

    [Fact]
    public async Task An_unknown_access_key_answers_401()
    {
        using var response = await Signed(HttpMethod.Delete, "/ncr/api/v2/repositories/myreg/plain/tags/r1", accessKey: "AKOTHER");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_timestamp_more_than_5_minutes_off_answers_401()
    {
        using var old = await Signed(HttpMethod.Delete, "/ncr/api/v2/repositories/myreg/plain/tags/r1", at: DateTimeOffset.UtcNow.AddMinutes(-6));
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        using var future = await Signed(HttpMethod.Delete, "/ncr/api/v2/repositories/myreg/plain/tags/r1", at: DateTimeOffset.UtcNow.AddMinutes(6));
        Assert.Equal(HttpStatusCode.Unauthorized, future.StatusCode);
    }

    [Fact]
    public async Task A_signature_over_the_decoded_path_answers_401()
    {
        using var request = Http.NcrSigned(_server, HttpMethod.Delete, "/ncr/api/v2/repositories/myreg/hello/world/tags/v2");
        var sent = new HttpRequestMessage(HttpMethod.Delete, new Uri(_server.EndpointOf("ncr"), "/ncr/api/v2/repositories/myreg/hello%2Fworld/tags/v2"));
        foreach (var header in request.Headers) sent.Headers.TryAddWithoutValidation(header.Key, header.Value);
        using (sent)
        using (var response = await _http.SendAsync(sent))
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
