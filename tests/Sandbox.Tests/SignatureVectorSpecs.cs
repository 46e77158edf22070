namespace RegistryCleaner.Sandbox.Tests;

/// <summary>Expected values computed independently (see SIGNATURE-VECTORS.md).</summary>
public sealed class SignatureVectorSpecs
{
    private const string EmptyBodyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    [Fact]
    public void Swr_delete_tag_vector()
    {
        KeyValuePair<string, string>[] headers =
        [
            new("Content-Type", "application/json"),
            new("Host", "swr-api.ap-southeast-1.myhuaweicloud.com"),
            new("X-Sdk-Date", "20261125T120000Z"),
        ];
        var canonical = SwrSignature.CanonicalRequest("DELETE", "/v2/manage/namespaces/acme/repos/team$web/tags/v1.2", "", headers, SwrSignature.PayloadHash([]));
        Assert.Equal(
            "DELETE\n/v2/manage/namespaces/acme/repos/team%24web/tags/v1.2/\n\ncontent-type:application/json\nhost:swr-api.ap-southeast-1.myhuaweicloud.com\nx-sdk-date:20261125T120000Z\n\ncontent-type;host;x-sdk-date\n" + EmptyBodyHash,
            canonical);

        var stringToSign = SwrSignature.StringToSign("20261125T120000Z", canonical);
        Assert.Equal("SDK-HMAC-SHA256\n20261125T120000Z\n813c8f423a8070349f480ff98cd586f7ed4a464f81aadede404f995e4b47521c", stringToSign);

        var signature = SwrSignature.Sign("SKEXAMPLE", stringToSign);
        Assert.Equal("3b83a8d3ca1d29173146bf497866d35612327766097e520b9bbafa15e2abb4e3", signature);
        Assert.Equal(
            "SDK-HMAC-SHA256 Access=AKEXAMPLE, SignedHeaders=content-type;host;x-sdk-date, Signature=3b83a8d3ca1d29173146bf497866d35612327766097e520b9bbafa15e2abb4e3",
            SwrSignature.AuthorizationHeader("AKEXAMPLE", headers.Select(h => h.Key), signature));
    }

    [Fact]
    public void Swr_list_tags_vector_sorts_the_query()
    {
        KeyValuePair<string, string>[] headers = [new("host", "swr-api.ap-southeast-1.myhuaweicloud.com"), new("x-sdk-date", "20261125T120000Z")];
        var canonical = SwrSignature.CanonicalRequest("GET", "/v2/manage/namespaces/acme/repos/team$web/tags",
            "offset=0&limit=100&order_type=desc&order_column=updated_at&tag=v1.2", headers, EmptyBodyHash);
        Assert.Equal(
            "GET\n/v2/manage/namespaces/acme/repos/team%24web/tags/\nlimit=100&offset=0&order_column=updated_at&order_type=desc&tag=v1.2\nhost:swr-api.ap-southeast-1.myhuaweicloud.com\nx-sdk-date:20261125T120000Z\n\nhost;x-sdk-date\n" + EmptyBodyHash,
            canonical);
        var stringToSign = SwrSignature.StringToSign("20261125T120000Z", canonical);
        Assert.EndsWith("540d54124d237a084303cd4dd6f6f48647147e3d9b7386602b80e4396f67fa9d", stringToSign);
        Assert.Equal("a20c4b0c4ed405e98f6c90c12336491d007ceb0c0fedbd058eb9d009dc2a72fd", SwrSignature.Sign("SKEXAMPLE", stringToSign));
    }

    [Theory]
    [InlineData("/a/b c/%2F/~x", "/a/b%20c/%2F/~x/")]
    [InlineData("/v2/x/", "/v2/x/")]
    [InlineData("/v2/k%C3%A9y", "/v2/k%C3%A9y/")]
    public void Swr_canonical_uri_re_encodes_each_segment(string raw, string expected) =>
        Assert.Equal(expected, SwrSignature.CanonicalUri(raw));

    [Fact]
    public void Swr_authorization_header_round_trips()
    {
        Assert.True(SwrSignature.TryParseAuthorization(
            "SDK-HMAC-SHA256 Access=AKEXAMPLE, SignedHeaders=host;x-sdk-date, Signature=abc", out var ak, out var signed, out var signature));
        Assert.Equal("AKEXAMPLE", ak);
        Assert.Equal(["host", "x-sdk-date"], signed);
        Assert.Equal("abc", signature);
    }

    [Fact]
    public void Ncr_delete_tag_vector()
    {
        var stringToSign = NcrSignature.StringToSign("DELETE", "/ncr/api/v2/repositories/myreg/hello%2Fworld/tags/v1", "1764072000000", "AKEXAMPLE");
        Assert.Equal("DELETE /ncr/api/v2/repositories/myreg/hello%2Fworld/tags/v1\n1764072000000\nAKEXAMPLE", stringToSign);
        Assert.Equal("HKA1m3mwzDV+NYvizf8MytEQWh2Vod4op9jmn18QmkM=", NcrSignature.Sign("SKEXAMPLE", stringToSign));
    }

    [Fact]
    public void Ncr_list_tags_vector_signs_the_query_as_sent()
    {
        var stringToSign = NcrSignature.StringToSign("GET", "/ncr/api/v2/repositories/myreg/hello%2Fworld/tags?page=2&pagesize=10", "1764072000000", "AKEXAMPLE");
        Assert.Equal("K7ilwUlfogy7aMpYki19iZ23lq6TjcUNLkcuZf2WqPE=", NcrSignature.Sign("SKEXAMPLE", stringToSign));
    }

    [Fact]
    public void Ncr_timestamp_is_epoch_milliseconds() =>
        Assert.Equal("1764072000000", NcrSignature.Timestamp(new DateTimeOffset(2025, 11, 25, 12, 0, 0, TimeSpan.Zero)));
}
