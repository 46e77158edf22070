using System.Net;

namespace RegistryCleaner.Sandbox.Tests;

public sealed class SwrAuthSpecs : IAsyncLifetime
{
    private const string TagPath = "/v2/manage/namespaces/acme/repos/team$web/tags/v1.2";
    private SandboxServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await TestSeeds.Start(TestSeeds.Swr(), TestSeeds.Ims());
        _http = new HttpClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private async Task AssertUnauthorized(HttpRequestMessage request)
    {
        using (request)
        using (var response = await _http.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("APIGW.0301", (await Http.Json(response)).GetProperty("error_code").GetString());
        }
        Assert.Equal(2, _server.State.Tags("swr", "acme/team/web").Count);
    }

    [Fact]
    public async Task A_signed_request_is_accepted()
    {
        using var request = Http.SwrSigned(_server, "swr", HttpMethod.Delete, TagPath);
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task A_signed_request_with_query_and_body_hash_is_accepted()
    {
        using var request = Http.SwrSigned(_server, "swr", HttpMethod.Get,
            "/v2/manage/namespaces/acme/repos/team$web/tags?offset=0&limit=100&order_type=desc&order_column=updated_at&tag=v1.2", body: []);
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_iam_token_is_accepted()
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri(_server.EndpointOf("swr"), TagPath));
        request.Headers.Add("X-Auth-Token", TestSeeds.IamToken);
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public Task No_credentials_answer_401() =>
        AssertUnauthorized(new HttpRequestMessage(HttpMethod.Delete, new Uri(_server.EndpointOf("swr"), TagPath)));

    [Fact]
    public Task A_wrong_token_answers_401()
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, new Uri(_server.EndpointOf("swr"), TagPath));
        request.Headers.Add("X-Auth-Token", "nope");
        return AssertUnauthorized(request);
    }

    [Fact]
    public Task A_wrong_secret_answers_401() =>
        AssertUnauthorized(Http.SwrSigned(_server, "swr", HttpMethod.Delete, TagPath, secretKey: "other"));

    [Fact]
    public Task An_unknown_access_key_answers_401() =>
        AssertUnauthorized(Http.SwrSigned(_server, "swr", HttpMethod.Delete, TagPath, accessKey: "AKOTHER"));

    [Fact]
    public Task A_date_older_than_15_minutes_answers_401() =>
        AssertUnauthorized(Http.SwrSigned(_server, "swr", HttpMethod.Delete, TagPath, at: DateTimeOffset.UtcNow.AddMinutes(-16)));

    [Fact]
    public async Task A_date_within_15_minutes_is_accepted()
    {
        using var request = Http.SwrSigned(_server, "swr", HttpMethod.Delete, TagPath, at: DateTimeOffset.UtcNow.AddMinutes(-14));
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public Task A_missing_date_answers_401()
    {
        var request = Http.SwrSigned(_server, "swr", HttpMethod.Delete, TagPath);
        request.Headers.Remove(SwrSignature.DateHeader);
        return AssertUnauthorized(request);
    }

    [Fact]
    public Task A_signature_for_another_path_answers_401()
    {
        var signed = Http.SwrSigned(_server, "swr", HttpMethod.Delete, "/v2/manage/namespaces/acme/repos/team$web/tags/v1.3");
        var request = new HttpRequestMessage(HttpMethod.Delete, new Uri(_server.EndpointOf("swr"), TagPath));
        foreach (var header in signed.Headers) request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        signed.Dispose();
        return AssertUnauthorized(request);
    }

    [Fact]
    public async Task Ims_accepts_the_same_signature_scheme()
    {
        using var request = Http.SwrSigned(_server, "ims", HttpMethod.Delete, $"/v2/{TestSeeds.ProjectId}/images/{TestSeeds.ImageId}/tags/env");
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }
}
