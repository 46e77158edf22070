using System.Net;

namespace RegistryCleaner.Sandbox.Tests;

public sealed class FaultSpecs : IAsyncLifetime
{
    private SandboxServer _server = null!;
    private HttpClient _oci = null!;

    public async Task InitializeAsync()
    {
        _server = await TestSeeds.Start(TestSeeds.Oci(tagDeleteSupported: true), TestSeeds.Swr(), TestSeeds.Ncr());
        _oci = Http.Client(_server, "oci");
    }

    public async Task DisposeAsync()
    {
        _oci.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_sequence_is_consumed_in_order_then_stops()
    {
        _server.Faults.Add(new FaultRule { Registry = "oci", Method = "DELETE", Sequence = [503, 429, 500], RetryAfterSeconds = 2 });

        using var first = await Http.Send(_oci, HttpMethod.Delete, "/v2/team/app/manifests/v1");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal("2", Http.Header(first, "Retry-After"));
        using var second = await Http.Send(_oci, HttpMethod.Delete, "/v2/team/app/manifests/v1");
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal("TOOMANYREQUESTS", await Http.OciErrorCode(second));
        using var third = await Http.Send(_oci, HttpMethod.Delete, "/v2/team/app/manifests/v1");
        Assert.Equal(HttpStatusCode.InternalServerError, third.StatusCode);
        Assert.Null(Http.Header(third, "Retry-After"));
        Assert.Contains("v1", _server.State.Tags("oci", "team/app"));

        using var fourth = await Http.Send(_oci, HttpMethod.Delete, "/v2/team/app/manifests/v1");
        Assert.Equal(HttpStatusCode.Accepted, fourth.StatusCode);
    }

    [Fact]
    public async Task Zero_in_a_sequence_drops_the_connection()
    {
        _server.Faults.Add(new FaultRule { Registry = "oci", PathPattern = "^/v2/team/worker/", Sequence = [0] });

        using (var fresh = Http.Client(_server, "oci"))
            await Assert.ThrowsAsync<HttpRequestException>(() => fresh.GetAsync("/v2/team/worker/tags/list"));
        using var after = await _oci.GetAsync("/v2/team/worker/tags/list");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Contains(_server.Requests.Snapshot(), r => r.RawPath == "/v2/team/worker/tags/list" && r.Status == 0);
    }

    [Fact]
    public async Task Probability_one_always_injects_and_status_zero_drops()
    {
        _server.Faults.Add(new FaultRule { Registry = "oci", PathPattern = "^/v2/alpha/", Probability = 1, Status = 0 });
        for (var i = 0; i < 3; i++)
        {
            using var fresh = Http.Client(_server, "oci");
            await Assert.ThrowsAsync<HttpRequestException>(() => fresh.GetAsync("/v2/alpha/tags/list"));
        }
    }

    [Fact]
    public async Task Probability_injects_roughly_that_share()
    {
        _server.Faults.Add(new FaultRule { Registry = "oci", PathPattern = "^/v2/beta/", Probability = 0.5, Status = 503 });
        var failures = 0;
        for (var i = 0; i < 400; i++)
        {
            using var response = await _oci.GetAsync("/v2/beta/one/tags/list");
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable) failures++;
            else Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.InRange(failures, 130, 270);
    }

    [Fact]
    public async Task Gateway_not_found_answers_the_huawei_gateway_body()
    {
        _server.Faults.Add(new FaultRule { Registry = "swr", GatewayNotFound = true });
        using var http = Http.Client(_server, "swr");
        http.DefaultRequestHeaders.Add("X-Auth-Token", TestSeeds.IamToken);
        using var response = await http.DeleteAsync("/v2/manage/namespaces/acme/repos/web/tags/v1");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("APIGW.0101", (await Http.Json(response)).GetProperty("error_code").GetString());
        Assert.Contains("v1", _server.State.Tags("swr", "acme/web"));
    }

    [Fact]
    public async Task Injected_errors_use_each_api_own_shape()
    {
        _server.Faults.Add(new FaultRule { Registry = "swr", Probability = 1, Status = 429 });
        _server.Faults.Add(new FaultRule { Registry = "ncr", Probability = 1, Status = 429 });
        using var swr = Http.Client(_server, "swr");
        using var swrResponse = await swr.DeleteAsync("/v2/manage/namespaces/acme/repos/web/tags/v1");
        Assert.Equal("APIGW.0308", (await Http.Json(swrResponse)).GetProperty("error_code").GetString());

        using var ncr = new HttpClient();
        using var ncrResponse = await ncr.DeleteAsync(new Uri(_server.EndpointOf("ncr"), "/ncr/api/v2/repositories/myreg/plain/tags/r1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, ncrResponse.StatusCode);
        Assert.Equal("410", (await Http.Json(ncrResponse)).GetProperty("error").GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task Rules_filter_by_registry_method_and_path_and_clear_removes_them()
    {
        _server.Faults.Add(new FaultRule { Registry = "swr", Probability = 1, Status = 500 });
        _server.Faults.Add(new FaultRule { Registry = "oci", Method = "DELETE", Probability = 1, Status = 500 });
        _server.Faults.Add(new FaultRule { Registry = "oci", PathPattern = "/manifests/v4$", Probability = 1, Status = 502 });

        using var get = await _oci.GetAsync("/v2/team/app/tags/list");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        using var head = await Http.Send(_oci, HttpMethod.Head, "/v2/team/app/manifests/v4");
        Assert.Equal(HttpStatusCode.BadGateway, head.StatusCode);
        using var delete = await Http.Send(_oci, HttpMethod.Delete, "/v2/team/app/manifests/v2");
        Assert.Equal(HttpStatusCode.InternalServerError, delete.StatusCode);

        _server.Faults.Clear();
        using var cleared = await Http.Send(_oci, HttpMethod.Delete, "/v2/team/app/manifests/v2");
        Assert.Equal(HttpStatusCode.Accepted, cleared.StatusCode);
    }

    [Fact]
    public async Task Seed_faults_are_active_from_the_start()
    {
        var seed = SandboxSeed.FromJson("""
            { "registries": [ { "name": "oci", "kind": "Oci" } ],
              "faults": [ { "registry": "oci", "sequence": [503], "retryAfterSeconds": 1, "latency": "00:00:00.010" } ] }
            """);
        await using var server = await SandboxServer.StartAsync(seed);
        using var http = Http.Client(server, "oci");
        using var first = await http.GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal("1", Http.Header(first, "Retry-After"));
        using var second = await http.GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }
}
