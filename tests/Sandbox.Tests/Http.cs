using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace RegistryCleaner.Sandbox.Tests;

internal static class Http
{
    public static HttpClient Client(SandboxServer server, string registry) =>
        new() { BaseAddress = server.EndpointOf(registry) };

    public static async Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string pathAndQuery, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery) { Content = content };
        return await client.SendAsync(request);
    }

    public static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<string> OciErrorCode(HttpResponseMessage response) =>
        (await Json(response)).GetProperty("errors")[0].GetProperty("code").GetString()!;

    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : null;

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    /// <summary>A request signed with SDK-HMAC-SHA256 over host and x-sdk-date (and content-type when a body is given).</summary>
    public static HttpRequestMessage SwrSigned(
        SandboxServer server, string registry, HttpMethod method, string rawPathAndQuery,
        string accessKey = TestSeeds.AccessKey, string secretKey = TestSeeds.SecretKey, DateTimeOffset? at = null, byte[]? body = null)
    {
        var uri = new Uri(server.EndpointOf(registry), rawPathAndQuery);
        var request = new HttpRequestMessage(method, uri);
        var date = (at ?? DateTimeOffset.UtcNow).ToString(SwrSignature.DateFormat, CultureInfo.InvariantCulture);
        request.Headers.TryAddWithoutValidation(SwrSignature.DateHeader, date);
        var headers = new List<KeyValuePair<string, string>> { new("host", uri.Authority), new("x-sdk-date", date) };
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            headers.Add(new("content-type", "application/json"));
        }

        var question = rawPathAndQuery.IndexOf('?');
        var path = question < 0 ? rawPathAndQuery : rawPathAndQuery[..question];
        var query = question < 0 ? "" : rawPathAndQuery[(question + 1)..];
        var canonical = SwrSignature.CanonicalRequest(method.Method, path, query, headers, SwrSignature.PayloadHash(body ?? []));
        var signature = SwrSignature.Sign(secretKey, SwrSignature.StringToSign(date, canonical));
        request.Headers.TryAddWithoutValidation("Authorization", SwrSignature.AuthorizationHeader(accessKey, headers.Select(h => h.Key), signature));
        return request;
    }

    /// <summary>A request signed with the NCP API gateway signature v2 over the path exactly as sent.</summary>
    public static HttpRequestMessage NcrSigned(
        SandboxServer server, HttpMethod method, string rawPathAndQuery,
        string accessKey = TestSeeds.AccessKey, string secretKey = TestSeeds.SecretKey, DateTimeOffset? at = null)
    {
        var root = server.EndpointOf("ncr");
        var request = new HttpRequestMessage(method, new Uri(root, rawPathAndQuery));
        var timestamp = NcrSignature.Timestamp(at ?? DateTimeOffset.UtcNow);
        request.Headers.TryAddWithoutValidation(NcrSignature.TimestampHeader, timestamp);
        request.Headers.TryAddWithoutValidation(NcrSignature.AccessKeyHeader, accessKey);
        request.Headers.TryAddWithoutValidation(NcrSignature.SignatureHeader,
            NcrSignature.Sign(secretKey, NcrSignature.StringToSign(method.Method, rawPathAndQuery, timestamp, accessKey)));
        return request;
    }
}
