using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace RegistryCleaner.Sandbox.Tests;

public sealed class OciAuthSpecs
{
    private static SeedAuth Auth(AuthMode mode, int lifetime = 60) =>
        new() { Mode = mode, Username = "u", Password = "p", TokenLifetimeSeconds = lifetime };

    [Fact]
    public async Task Basic_auth_challenges_without_credentials_and_accepts_valid_ones()
    {
        await using var server = await TestSeeds.Start(TestSeeds.Oci(auth: Auth(AuthMode.Basic)));
        using var http = Http.Client(server, "oci");

        using var anonymous = await http.GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Basic realm=\"sandbox\"", Http.Header(anonymous, "WWW-Authenticate"));
        Assert.Equal("UNAUTHORIZED", await Http.OciErrorCode(anonymous));

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/v2/team/app/tags/list");
        wrong.Headers.Authorization = Http.Basic("u", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong)).StatusCode);

        using var right = new HttpRequestMessage(HttpMethod.Get, "/v2/team/app/tags/list");
        right.Headers.Authorization = Http.Basic("u", "p");
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(right)).StatusCode);
    }

    [Fact]
    public async Task Bearer_flow_challenge_token_then_retry()
    {
        await using var server = await TestSeeds.Start(TestSeeds.Oci(auth: Auth(AuthMode.Bearer)));
        using var http = Http.Client(server, "oci");
        var port = server.EndpointOf("oci").Port;

        using var challenged = await Http.Send(http, HttpMethod.Delete, "/v2/team/app/manifests/" + server.State.DigestOf("oci", "team/app", "v2"));
        Assert.Equal(HttpStatusCode.Unauthorized, challenged.StatusCode);
        var challenge = Http.Header(challenged, "WWW-Authenticate")!;
        Assert.Equal($"Bearer realm=\"http://127.0.0.1:{port}/token\",service=\"sandbox\",scope=\"repository:team/app:delete\"", challenge);

        var token = await FetchToken(http, challenge);
        using var retry = new HttpRequestMessage(HttpMethod.Delete, "/v2/team/app/manifests/" + server.State.DigestOf("oci", "team/app", "v2"));
        retry.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.Accepted, (await http.SendAsync(retry)).StatusCode);
    }

    [Fact]
    public async Task Bearer_token_for_pull_is_not_enough_to_delete()
    {
        await using var server = await TestSeeds.Start(TestSeeds.Oci(auth: Auth(AuthMode.Bearer)));
        using var http = Http.Client(server, "oci");
        using var head = await Http.Send(http, HttpMethod.Head, "/v2/team/app/manifests/v1");
        var challenge = Http.Header(head, "WWW-Authenticate")!;
        Assert.Contains("scope=\"repository:team/app:pull\"", challenge);
        var token = await FetchToken(http, challenge);

        using var delete = new HttpRequestMessage(HttpMethod.Delete, "/v2/team/app/manifests/" + server.State.DigestOf("oci", "team/app", "v2"));
        delete.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(delete);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error=\"insufficient_scope\"", Http.Header(response, "WWW-Authenticate"));
    }

    [Fact]
    public async Task Token_endpoint_requires_credentials()
    {
        await using var server = await TestSeeds.Start(TestSeeds.Oci(auth: Auth(AuthMode.Bearer)));
        using var http = Http.Client(server, "oci");
        using var response = await http.GetAsync("/token?service=sandbox&scope=repository:team/app:pull");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Tokens_expire()
    {
        await using var server = await TestSeeds.Start(TestSeeds.Oci(auth: Auth(AuthMode.Bearer, lifetime: 1)));
        using var http = Http.Client(server, "oci");
        using var first = await http.GetAsync("/v2/");
        var token = await FetchToken(http, Http.Header(first, "WWW-Authenticate")!);

        // Its one second of lifetime runs out: from then on the token is refused as invalid.
        HttpResponseMessage? response = null;
        await Eventually.TrueAsync(async () =>
        {
            response?.Dispose();
            using var late = new HttpRequestMessage(HttpMethod.Get, "/v2/");
            late.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            response = await http.SendAsync(late);
            return response.StatusCode == HttpStatusCode.Unauthorized;
        }, TimeSpan.FromSeconds(10), () => $"the token was still accepted ({response?.StatusCode})");
        using (response)
            Assert.Contains("error=\"invalid_token\"", Http.Header(response!, "WWW-Authenticate"));
    }

    private static async Task<string> FetchToken(HttpClient http, string challenge)
    {
        string Param(string name) => Regex.Match(challenge, name + "=\"([^\"]*)\"").Groups[1].Value;
        var url = $"{Param("realm")}?service={Uri.EscapeDataString(Param("service"))}";
        if (challenge.Contains("scope=")) url += $"&scope={Uri.EscapeDataString(Param("scope"))}";
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = Http.Basic("u", "p");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Http.Json(response);
        Assert.Equal(body.GetProperty("token").GetString(), body.GetProperty("access_token").GetString());
        Assert.True(body.GetProperty("expires_in").GetInt32() > 0);
        return body.GetProperty("token").GetString()!;
    }
}
