using System.Net.Http.Headers;
using Microsoft.Extensions.Time.Testing;
using RegistryCleaner.Worker.Registries.Http.Signing;
using RegistryCleaner.Worker.Registries.Huawei;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Registries;

/// <summary>The SDK-HMAC-SHA256 vectors of tests/Sandbox.Tests/SIGNATURE-VECTORS.md.</summary>
public sealed class SwrSignerSpecs
{
    private const string Host = "swr-api.ap-southeast-1.myhuaweicloud.com";
    private const string Date = "20261125T120000Z";
    private const string EmptyBodyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static readonly FakeTimeProvider At = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    private const string DeleteCanonical =
        "DELETE\n/v2/manage/namespaces/acme/repos/team%24web/tags/v1.2/\n\ncontent-type:application/json\nhost:" + Host + "\nx-sdk-date:" + Date
        + "\n\ncontent-type;host;x-sdk-date\n" + EmptyBodyHash;
    private const string DeleteStringToSign = "SDK-HMAC-SHA256\n" + Date + "\n813c8f423a8070349f480ff98cd586f7ed4a464f81aadede404f995e4b47521c";
    private const string DeleteSignature = "3b83a8d3ca1d29173146bf497866d35612327766097e520b9bbafa15e2abb4e3";
    private const string DeleteAuthorization =
        "SDK-HMAC-SHA256 Access=AKEXAMPLE, SignedHeaders=content-type;host;x-sdk-date, Signature=" + DeleteSignature;

    private const string ListCanonical =
        "GET\n/v2/manage/namespaces/acme/repos/team%24web/tags/\nlimit=100&offset=0&order_column=updated_at&order_type=desc&tag=v1.2\nhost:" + Host
        + "\nx-sdk-date:" + Date + "\n\nhost;x-sdk-date\n" + EmptyBodyHash;
    private const string ListStringToSign = "SDK-HMAC-SHA256\n" + Date + "\n540d54124d237a084303cd4dd6f6f48647147e3d9b7386602b80e4396f67fa9d";
    private const string ListSignature = "a20c4b0c4ed405e98f6c90c12336491d007ceb0c0fedbd058eb9d009dc2a72fd";

    private static readonly Uri DeleteUri = new($"https://{Host}/v2/manage/namespaces/acme/repos/team$web/tags/v1.2");
    private static readonly Uri ListUri = new($"https://{Host}/v2/manage/namespaces/acme/repos/team$web/tags?offset=0&limit=100&order_type=desc&order_column=updated_at&tag=v1.2");

    [Fact]
    public void Vector_1_delete_a_tag()
    {
        var signature = SdkHmacSha256.Compute("DELETE", DeleteUri,
            [new("Content-Type", "application/json"), new("Host", Host), new("X-Sdk-Date", Date)],
            SdkHmacSha256.PayloadHash([]), Date, "AKEXAMPLE", "SKEXAMPLE");

        Assert.Equal(DeleteCanonical, signature.CanonicalRequest);
        Assert.Equal(DeleteStringToSign, signature.StringToSign);
        Assert.Equal(DeleteSignature, signature.Signature);
        Assert.Equal(DeleteAuthorization, signature.Authorization);
    }

    [Fact]
    public void Vector_2_sorts_the_query()
    {
        var signature = SdkHmacSha256.Compute("GET", ListUri, [new("Host", Host), new("X-Sdk-Date", Date)],
            SdkHmacSha256.PayloadHash([]), Date, "AKEXAMPLE", "SKEXAMPLE");

        Assert.Equal(ListCanonical, signature.CanonicalRequest);
        Assert.Equal(ListStringToSign, signature.StringToSign);
        Assert.Equal(ListSignature, signature.Signature);
    }

    [Fact]
    public async Task The_signer_signs_a_request_with_content_as_vector_1()
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, DeleteUri)
        {
            Content = new ByteArrayContent([]) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };

        await new SwrSigner("AKEXAMPLE", "SKEXAMPLE", null, At).ApplyAsync(request, CancellationToken.None);

        Assert.Equal(DeleteAuthorization, Header(request, "Authorization"));
        Assert.Equal(Date, Header(request, "X-Sdk-Date"));
        Assert.Equal(Host, request.Headers.Host);
    }

    [Fact]
    public async Task The_signer_signs_a_request_without_content_as_vector_2()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, ListUri);

        await new SwrSigner("AKEXAMPLE", "SKEXAMPLE", null, At).ApplyAsync(request, CancellationToken.None);

        Assert.Equal($"SDK-HMAC-SHA256 Access=AKEXAMPLE, SignedHeaders=host;x-sdk-date, Signature={ListSignature}", Header(request, "Authorization"));
    }

    [Fact]
    public async Task Signing_again_replaces_the_previous_signature()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, ListUri);
        var signer = new SwrSigner("AKEXAMPLE", "SKEXAMPLE", null, At);

        await signer.ApplyAsync(request, CancellationToken.None);
        await signer.ApplyAsync(request, CancellationToken.None);

        Assert.Single(request.Headers.GetValues("Authorization"));
        Assert.Single(request.Headers.GetValues("X-Sdk-Date"));
    }

    [Fact]
    public async Task A_configured_token_is_sent_instead_of_a_signature_and_is_not_retried_after_401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, DeleteUri);
        var signer = new SwrSigner("AKEXAMPLE", "SKEXAMPLE", "iam-token", At);

        await signer.ApplyAsync(request, CancellationToken.None);

        Assert.Equal("iam-token", Header(request, "X-Auth-Token"));
        Assert.False(request.Headers.Contains("Authorization"));
        using var unauthorized = new HttpResponseMessage(System.Net.HttpStatusCode.Unauthorized);
        Assert.False(await signer.RefreshAfterUnauthorizedAsync(unauthorized, CancellationToken.None));
        Assert.True(await new SwrSigner("AKEXAMPLE", "SKEXAMPLE", null, At).RefreshAfterUnauthorizedAsync(unauthorized, CancellationToken.None));
    }

    [Theory]
    [InlineData("/v2/a%2Fb/x y", "/v2/a%2Fb/x%20y/")]
    [InlineData("/v2/caf%C3%A9/~k", "/v2/caf%C3%A9/~k/")]
    [InlineData("/", "/")]
    public void The_canonical_uri_keeps_only_unreserved_characters_and_ends_with_a_slash(string path, string expected) =>
        Assert.Equal(expected, SdkHmacSha256.CanonicalUri(path));

    private static string Header(HttpRequestMessage request, string name) => string.Join(",", request.Headers.GetValues(name));
}
