using System.Net;

namespace RegistryCleaner.Sandbox.Tests;

public sealed class RequestLogSpecs
{
    [Fact]
    public async Task Every_request_is_logged_with_its_raw_path_query_and_status()
    {
        await using var server = await TestSeeds.Start(TestSeeds.Swr(), TestSeeds.Ncr());
        using var swr = Http.Client(server, "swr");
        using var ncr = new HttpClient();

        (await swr.DeleteAsync("/v2/manage/namespaces/acme/repos/team$web/tags/v1.2")).Dispose();
        (await ncr.GetAsync(new Uri(server.EndpointOf("ncr"), "/ncr/api/v2/repositories/myreg/hello%2Fworld/tags?page=1&pagesize=5"))).Dispose();

        var records = server.Requests.Snapshot();
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(new RequestRecord("swr", "DELETE", "/v2/manage/namespaces/acme/repos/team$web/tags/v1.2", "", 401, records[0].At), records[0]);
        Assert.Equal("/ncr/api/v2/repositories/myreg/hello%2Fworld/tags", records[1].RawPath);
        Assert.Equal("page=1&pagesize=5", records[1].Query);
        Assert.Equal(401, records[1].Status);
        Assert.Equal("ncr", records[1].Registry);

        server.Requests.Clear();
        Assert.Equal(0, server.Requests.Count);
    }

    [Fact]
    public async Task Successful_requests_log_their_status()
    {
        await using var server = await TestSeeds.Start(TestSeeds.Oci());
        using var http = Http.Client(server, "oci");
        using var response = await http.GetAsync("/v2/team/app/tags/list?n=1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var record = Assert.Single(server.Requests.Snapshot("oci"));
        Assert.Equal(("GET", "/v2/team/app/tags/list", "n=1", 200), (record.Method, record.RawPath, record.Query, record.Status));
    }
}
