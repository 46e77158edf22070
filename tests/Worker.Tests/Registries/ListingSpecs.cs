using System.Text;
using RegistryCleaner.Worker.Registries;
using RegistryCleaner.Worker.Registries.Ncr;
using RegistryCleaner.Worker.Registries.Oci;
using RegistryCleaner.Worker.Registries.Swr;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Registries;

public sealed class ListingSpecs
{
    [Fact]
    public async Task Swr_tags_are_as_old_as_the_later_of_created_and_updated_and_undated_when_neither_parses()
    {
        using var response = Json("""
            [
              {"Tag":"a","digest":"sha256:1","created":"2026-09-01T10:00:00.123456Z","updated":"2026-08-01T00:00:00Z"},
              {"Tag":"b","created":"","updated":"2026-09-02 08:00:00"},
              {"Tag":"c","created":"yesterday","updated":null},
              {"Tag":"d","created":"2026-09-01T10:00:00Z","updated":"2026-10-01T00:00:00Z"},
              {"name":"no tag field"}
            ]
            """);

        var tags = await SwrListing.ReadTagsAsync(response, CancellationToken.None);

        Assert.Equal(["a", "b", "c", "d"], tags.Select(t => t.Name));
        Assert.Equal(new DateTimeOffset(2026, 9, 1, 10, 0, 0, 123, TimeSpan.Zero).AddTicks(4560), tags[0].Created);
        Assert.Equal("sha256:1", tags[0].Digest);
        Assert.Equal(new DateTimeOffset(2026, 9, 2, 8, 0, 0, TimeSpan.Zero), tags[1].Created);
        Assert.Null(tags[2].Created);
        Assert.Equal(new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero), tags[3].Created);
    }

    [Theory]
    [InlineData("0-100/230", 230)]
    [InlineData("200-30/230", 230)]
    [InlineData("bytes 0-99/230", null)]
    public void Swr_content_range_gives_the_total(string header, int? total)
    {
        using var response = Json("[]");
        response.Content.Headers.TryAddWithoutValidation("Content-Range", header);

        Assert.Equal(total, SwrListing.Total(response));
    }

    [Fact]
    public async Task Swr_repositories_take_the_namespace_from_the_path()
    {
        using var response = Json("""
            [
              {"name":"web","path":"swr.example.com/acme/web"},
              {"name":"team/web","path":"swr.example.com/acme/team/web"},
              {"name":"x","namespace":"other","path":""},
              {"name":"lost","path":"swr.example.com/acme/elsewhere"}
            ]
            """);

        Assert.Equal(["acme/web", "acme/team/web", "other/x"], await SwrListing.ReadRepositoriesAsync(response, CancellationToken.None));
    }

    [Fact]
    public async Task Ncr_last_updated_may_be_epoch_milliseconds_or_iso_and_is_otherwise_undated()
    {
        using var response = Json("""
            {"count":4,"next":"3","results":[
              {"name":"a","digest":"sha256:1","last_updated":1764072000000},
              {"name":"b","last_updated":"1764072000000"},
              {"name":"c","last_updated":"2025-11-25T12:00:00Z"},
              {"name":"d","last_updated":"soon"}
            ]}
            """);

        var (tags, next) = await NcrListing.ReadPageAsync(response, NcrListing.Tag, CancellationToken.None);

        var noon = new DateTimeOffset(2025, 11, 25, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal([noon, noon, noon, null], tags.Select(t => t.Created));
        Assert.Equal(3, next);
    }

    [Theory]
    [InlineData("""{"next":2,"results":[]}""", 2)]
    [InlineData("""{"next":null,"results":[]}""", null)]
    [InlineData("""{"next":"https://ncr.example.com/x?page=4&pagesize=100","results":[]}""", 4)]
    [InlineData("""{"results":[]}""", null)]
    public async Task Ncr_next_page_is_read_from_a_number_a_string_or_a_link(string body, int? expected)
    {
        using var response = Json(body);

        Assert.Equal(expected, (await NcrListing.ReadPageAsync(response, NcrListing.ImageName, CancellationToken.None)).Next);
    }

    [Theory]
    [InlineData("</v2/team/app/tags/list?last=b&n=2>; rel=\"next\"", "https://registry.example/v2/team/app/tags/list?last=b&n=2")]
    [InlineData("<https://registry.example/v2/team/app/tags/list?last=b>; rel=next", "https://registry.example/v2/team/app/tags/list?last=b")]
    [InlineData("<https://registry.example/v2/team/app/tags/list?last=b>; rel=\"prev\"", null)]
    public void Oci_next_page_is_the_links_next_relation_on_the_same_host(string link, string? expected)
    {
        using var response = Json("{}");
        response.Headers.Add("Link", link);

        Assert.Equal(expected, OciListing.NextLink(response, new Uri("https://registry.example/v2/team/app/tags/list?n=2"))?.AbsoluteUri);
    }

    [Fact]
    public void An_oci_next_page_on_another_host_fails_the_listing_rather_than_end_it()
    {
        using var response = Json("{}");
        response.Headers.Add("Link", "<https://elsewhere.example:8443/v2/team/app/tags/list?last=b>; rel=\"next\"");

        var failure = Assert.Throws<RegistryFailureException>(() => OciListing.NextLink(response, new Uri("https://registry.example/v2/team/app/tags/list")));

        Assert.Contains("https://elsewhere.example:8443", failure.Message);
    }

    [Theory]
    [InlineData("""{"name":"team/app","tags":["a","b"]}""", "a,b")]
    [InlineData("""{"name":"team/app","tags":null}""", "")]
    [InlineData("""{"name":"team/app"}""", "")]
    public async Task Oci_tag_lists_read_the_tags_array(string body, string expected)
    {
        using var response = Json(body);

        Assert.Equal(expected, string.Join(',', await OciListing.ReadTagsAsync(response, CancellationToken.None)));
    }

    [Theory]
    [InlineData("""{"name":"team/app","tags":"a"}""")]
    [InlineData("""{"name":"team/app","tags":{"a":1}}""")]
    public async Task An_oci_tag_list_whose_tags_are_not_a_list_fails(string body)
    {
        using var response = Json(body);

        await Assert.ThrowsAsync<RegistryFailureException>(() => OciListing.ReadTagsAsync(response, CancellationToken.None));
    }

    private static HttpResponseMessage Json(string body) => new() { Content = new StringContent(body, Encoding.UTF8, "application/json") };
}
