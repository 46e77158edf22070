using Microsoft.Extensions.Time.Testing;
using RegistryCleaner.Worker.Registries.Ncr;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Registries;

/// <summary>The NCR signature v2 vectors of tests/Sandbox.Tests/SIGNATURE-VECTORS.md.</summary>
public sealed class NcrSignerSpecs
{
    private const string Timestamp = "1764072000000";
    private const string DeletePath = "/ncr/api/v2/repositories/myreg/hello%2Fworld/tags/v1";
    private const string ListPath = "/ncr/api/v2/repositories/myreg/hello%2Fworld/tags?page=2&pagesize=10";
    private const string DeleteSignature = "HKA1m3mwzDV+NYvizf8MytEQWh2Vod4op9jmn18QmkM=";
    private const string ListSignature = "K7ilwUlfogy7aMpYki19iZ23lq6TjcUNLkcuZf2WqPE=";
    private static readonly FakeTimeProvider At = new(new DateTimeOffset(2025, 11, 25, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Vector_1_delete_a_tag()
    {
        var stringToSign = NcrSigner.StringToSign("DELETE", DeletePath, Timestamp, "AKEXAMPLE");

        Assert.Equal($"DELETE {DeletePath}\n{Timestamp}\nAKEXAMPLE", stringToSign);
        Assert.Equal(DeleteSignature, NcrSigner.Sign("SKEXAMPLE", stringToSign));
    }

    [Fact]
    public void Vector_2_list_tags_with_a_query()
    {
        var stringToSign = NcrSigner.StringToSign("GET", ListPath, Timestamp, "AKEXAMPLE");

        Assert.Equal($"GET {ListPath}\n{Timestamp}\nAKEXAMPLE", stringToSign);
        Assert.Equal(ListSignature, NcrSigner.Sign("SKEXAMPLE", stringToSign));
    }

    [Theory]
    [InlineData("DELETE", DeletePath, DeleteSignature)]
    [InlineData("GET", ListPath, ListSignature)]
    public async Task The_signer_signs_the_path_as_sent_with_its_escaped_slash(string method, string pathAndQuery, string expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri("https://ncr.apigw.ntruss.com" + pathAndQuery));

        await new NcrSigner("AKEXAMPLE", "SKEXAMPLE", At).ApplyAsync(request, CancellationToken.None);

        Assert.Equal(pathAndQuery, request.RequestUri!.PathAndQuery);
        Assert.Equal(Timestamp, Header(request, NcrSigner.TimestampHeader));
        Assert.Equal("AKEXAMPLE", Header(request, NcrSigner.AccessKeyHeader));
        Assert.Equal(expected, Header(request, NcrSigner.SignatureHeader));
    }

    private static string Header(HttpRequestMessage request, string name) => string.Join(",", request.Headers.GetValues(name));
}
