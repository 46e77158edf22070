using System.Net;
using System.Text;

namespace RegistryCleaner.Sandbox.Tests;

public sealed class ImsSpecs : IAsyncLifetime
{
    private static readonly string ImagePath = $"/v2/{TestSeeds.ProjectId}/images/{TestSeeds.ImageId}";
    private SandboxServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await TestSeeds.Start(TestSeeds.Ims());
        _http = Http.Client(_server, "ims");
        _http.DefaultRequestHeaders.Add("X-Auth-Token", TestSeeds.IamToken);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private static async Task<string> ErrorCode(HttpResponseMessage response) =>
        (await Http.Json(response)).GetProperty("error").GetProperty("code").GetString()!;

    [Fact]
    public async Task Deleting_a_key_answers_204_and_a_missing_key_404()
    {
        using var first = await Http.Send(_http, HttpMethod.Delete, $"{ImagePath}/tags/env");
        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(["owner"], _server.State.Tags("ims", TestSeeds.ImageId));

        using var second = await Http.Send(_http, HttpMethod.Delete, $"{ImagePath}/tags/env");
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
        Assert.StartsWith("IMG.", await ErrorCode(second));
    }

    [Fact]
    public async Task An_unknown_image_answers_404()
    {
        using var response = await Http.Send(_http, HttpMethod.Delete, $"/v2/{TestSeeds.ProjectId}/images/00000000-0000-0000-0000-000000000000/tags/env");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.StartsWith("IMG.", await ErrorCode(response));
    }

    [Fact]
    public async Task A_wrong_project_answers_404_with_an_ims_body()
    {
        using var response = await Http.Send(_http, HttpMethod.Delete, $"/v2/other-project/images/{TestSeeds.ImageId}/tags/env");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.StartsWith("IMG.", await ErrorCode(response));
        Assert.Equal(2, _server.State.Tags("ims", TestSeeds.ImageId).Count);
    }

    [Theory]
    [InlineData("legacy key/with slash")]
    [InlineData("ключ")]
    [InlineData("__$%&+=;:,!*'()")]
    public async Task Keys_are_not_validated_and_arrive_percent_decoded(string key)
    {
        _server.State.AddTag("ims", TestSeeds.ImageId, new SeedTag { Name = key, Value = "v" });
        using var response = await Http.Send(_http, HttpMethod.Delete, $"{ImagePath}/tags/{Uri.EscapeDataString(key)}");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.DoesNotContain(key, _server.State.Tags("ims", TestSeeds.ImageId));
    }

    [Fact]
    public async Task A_very_long_key_is_accepted()
    {
        var key = new string('k', 400);
        _server.State.AddTag("ims", TestSeeds.ImageId, new SeedTag { Name = key, Value = "v" });
        using var response = await Http.Send(_http, HttpMethod.Delete, $"{ImagePath}/tags/{key}");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task Listing_returns_keys_and_values()
    {
        using var response = await _http.GetAsync($"{ImagePath}/tags");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tags = (await Http.Json(response)).GetProperty("tags").EnumerateArray()
            .Select(t => $"{t.GetProperty("key").GetString()}={t.GetProperty("value").GetString()}");
        Assert.Equal(["env=prod", "owner=platform"], tags);
    }

    [Fact]
    public async Task Adding_a_tag_with_put_stores_it()
    {
        using var content = new StringContent("""{"tag":{"key":"team","value":"a"}}""", Encoding.UTF8, "application/json");
        using var response = await Http.Send(_http, HttpMethod.Put, $"{ImagePath}/tags", content);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("a", _server.State.TagInfo("ims", TestSeeds.ImageId, "team")!.Value);
    }

    [Fact]
    public async Task Without_credentials_the_gateway_answers_401()
    {
        using var anonymous = new HttpClient { BaseAddress = _server.EndpointOf("ims") };
        using var response = await anonymous.DeleteAsync($"{ImagePath}/tags/env");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("APIGW.0301", (await Http.Json(response)).GetProperty("error_code").GetString());
    }

    [Theory]
    [InlineData("/v2/images")]
    [InlineData("/v1/p1/images/x/tags/env")]
    public async Task Unknown_routes_answer_the_gateway_404(string path)
    {
        using var response = await Http.Send(_http, HttpMethod.Delete, path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("APIGW.0101", (await Http.Json(response)).GetProperty("error_code").GetString());
    }
}
