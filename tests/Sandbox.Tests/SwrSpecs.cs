using System.Net;
using System.Text.Json;

namespace RegistryCleaner.Sandbox.Tests;

public sealed class SwrSpecs : IAsyncLifetime
{
    private SandboxServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await TestSeeds.Start(TestSeeds.Swr());
        _http = Http.Client(_server, "swr");
        _http.DefaultRequestHeaders.Add("X-Auth-Token", TestSeeds.IamToken);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private static async Task<string> ErrorCode(HttpResponseMessage response) =>
        (await Http.Json(response)).GetProperty("errorCode").GetString()!;

    [Fact]
    public async Task Deleting_a_tag_answers_204_then_404_with_an_swr_error()
    {
        using var first = await Http.Send(_http, HttpMethod.Delete, "/v2/manage/namespaces/acme/repos/web/tags/v1");
        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.DoesNotContain("v1", _server.State.Tags("swr", "acme/web"));

        using var second = await Http.Send(_http, HttpMethod.Delete, "/v2/manage/namespaces/acme/repos/web/tags/v1");
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
        Assert.StartsWith("SVCSTG.SWR.404", await ErrorCode(second));
    }

    [Fact]
    public async Task Deleting_a_tag_of_an_unknown_repository_answers_404()
    {
        using var response = await Http.Send(_http, HttpMethod.Delete, "/v2/manage/namespaces/acme/repos/nothing/tags/v1");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.StartsWith("SVCSTG.SWR.404", await ErrorCode(response));
    }

    [Theory]
    [InlineData("team$web")]
    [InlineData("team%24web")]
    public async Task A_repository_with_a_slash_travels_as_a_dollar(string segment)
    {
        using var response = await Http.Send(_http, HttpMethod.Delete, $"/v2/manage/namespaces/acme/repos/{segment}/tags/v1.2");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(["v1.3"], _server.State.Tags("swr", "acme/team/web"));
    }

    [Fact]
    public async Task A_raw_slash_in_the_repository_is_an_unknown_route()
    {
        using var response = await Http.Send(_http, HttpMethod.Delete, "/v2/manage/namespaces/acme/repos/team/web/tags/v1.2");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("APIGW.0101", (await Http.Json(response)).GetProperty("error_code").GetString());
        Assert.Equal(2, _server.State.Tags("swr", "acme/team/web").Count);
    }

    [Fact]
    public async Task Repository_delete_answers_406_while_it_holds_tags_then_204_then_404()
    {
        using var full = await Http.Send(_http, HttpMethod.Delete, "/v2/manage/namespaces/acme/repos/team$web");
        Assert.Equal((HttpStatusCode)406, full.StatusCode);
        Assert.True(_server.State.RepositoryExists("swr", "acme/team/web"));

        foreach (var tag in _server.State.Tags("swr", "acme/team/web"))
            (await Http.Send(_http, HttpMethod.Delete, $"/v2/manage/namespaces/acme/repos/team$web/tags/{tag}")).Dispose();

        using var empty = await Http.Send(_http, HttpMethod.Delete, "/v2/manage/namespaces/acme/repos/team$web");
        Assert.Equal(HttpStatusCode.NoContent, empty.StatusCode);
        Assert.False(_server.State.RepositoryExists("swr", "acme/team/web"));

        using var gone = await Http.Send(_http, HttpMethod.Delete, "/v2/manage/namespaces/acme/repos/team$web");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Theory]
    [InlineData("/v2/manage/namespaces/1acme/repos/web/tags/v1")]
    [InlineData("/v2/manage/namespaces/acme/repos/_web/tags/v1")]
    [InlineData("/v2/manage/namespaces/acme/repos/web/tags/.v1")]
    [InlineData("/v2/manage/namespaces/acme/repos/web/tags/v1%20x")]
    public async Task Bad_names_answer_400_with_an_error_body(string path)
    {
        using var response = await Http.Send(_http, HttpMethod.Delete, path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("SVCSTG.SWR.400", await ErrorCode(response));
    }

    [Fact]
    public async Task Tag_list_has_the_documented_fields_and_content_range()
    {
        using var response = await _http.GetAsync("/v2/manage/namespaces/acme/repos/web/tags?offset=0&limit=2&order_column=updated_at&order_type=desc");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("0-2/4", Http.Header(response, "Content-Range"));
        var items = (await Http.Json(response)).EnumerateArray().ToList();
        Assert.Equal(["latest", "v1"], items.Select(i => i.GetProperty("Tag").GetString()!));
        string[] fields = ["id", "repo_id", "Tag", "image_id", "manifest", "digest", "schema", "path", "internal_path", "size",
            "is_trusted", "created", "updated", "deleted", "domain_id", "scanned", "tag_type"];
        Assert.Equal(fields.Order(), items[0].EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("sha256:" + new string('a', 64), items[0].GetProperty("digest").GetString());
        Assert.Equal(JsonValueKind.String, items[0].GetProperty("manifest").ValueKind);
        Assert.Equal("2026-10-11T00:00:00.000000Z", items[0].GetProperty("updated").GetString());
    }

    [Theory]
    [InlineData("created_at", "asc", "v1,v2,v3,latest")]
    [InlineData("created_at", "desc", "latest,v3,v2,v1")]
    [InlineData("updated_at", "asc", "v3,v2,v1,latest")]
    [InlineData("tag", "asc", "latest,v1,v2,v3")]
    public async Task Tag_list_orders_by_column(string column, string order, string expected)
    {
        using var response = await _http.GetAsync($"/v2/manage/namespaces/acme/repos/web/tags?limit=100&offset=0&order_column={column}&order_type={order}");
        Assert.Equal(expected, string.Join(',', (await Http.Json(response)).EnumerateArray().Select(i => i.GetProperty("Tag").GetString())));
    }

    [Fact]
    public async Task Tag_list_pages_with_offset()
    {
        using var response = await _http.GetAsync("/v2/manage/namespaces/acme/repos/web/tags?offset=3&limit=2&order_column=tag&order_type=asc");
        Assert.Equal("3-1/4", Http.Header(response, "Content-Range"));
        Assert.Equal(["v3"], (await Http.Json(response)).EnumerateArray().Select(i => i.GetProperty("Tag").GetString()!));
    }

    [Fact]
    public async Task Tag_list_filters_by_tag()
    {
        using var response = await _http.GetAsync("/v2/manage/namespaces/acme/repos/web/tags?tag=v&limit=10");
        Assert.Equal("0-3/3", Http.Header(response, "Content-Range"));
    }

    [Fact]
    public async Task Repository_list_matches_the_name_fuzzily_within_a_namespace()
    {
        using var response = await _http.GetAsync("/v2/manage/repos?namespace=acme&name=web&limit=10&offset=0");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("0-3/3", Http.Header(response, "Content-Range"));
        var names = (await Http.Json(response)).EnumerateArray().Select(i => i.GetProperty("name").GetString()!).ToList();
        Assert.Equal(["team/web", "web", "website"], names);
    }

    [Theory]
    [InlineData("/v1/manage/repos")]
    [InlineData("/v2/manage/namespaces/acme/repos/web/tags/v1/extra")]
    [InlineData("/v2/manage/unknown")]
    public async Task Unknown_routes_answer_the_gateway_404(string path)
    {
        using var response = await Http.Send(_http, HttpMethod.Delete, path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await Http.Json(response);
        Assert.Equal("APIGW.0101", body.GetProperty("error_code").GetString());
        Assert.Equal("The API does not exist or has not been published in the environment", body.GetProperty("error_msg").GetString());
    }
}
