using RegistryCleaner.Publisher.Batches;

namespace RegistryCleaner.Publisher.Tests;

public sealed class CsvFileSpecs
{
    [Fact]
    public void Columns_are_found_by_the_header_in_any_order_and_quoted_fields_keep_line_numbers_right()
    {
        var file = BatchFiles.Csv(
            "tag, Registry ,repository,reason",
            "v1,oci,team/app,\"old, unused\"",
            "",
            "v2,oci,team/app,",
            "v3,oci,team/app,\"two",
            "lines\"",
            "v4,oci,team/app,last");

        Assert.Equal([2, 4, 7], file.Requests.Select(r => r.Line));
        Assert.Equal("old, unused", file.Requests[0].Command.Reason);
        Assert.Equal("default reason", file.Requests[1].Command.Reason);
        Assert.Equal(("oci", "team/app", "v4"), (file.Requests[2].Command.Registry, file.Requests[2].Command.Repository, file.Requests[2].Command.Tag));
        var multiline = Assert.Single(file.Problems);
        Assert.Equal(5, multiline.Line);
        Assert.Contains("reason contains a control character", multiline.Message);
    }

    [Fact]
    public void Rows_with_the_wrong_number_of_fields_or_bad_values_are_reported_by_line()
    {
        var file = BatchFiles.Csv(
            "registry,repository,tag",
            "oci,team/app,v1",
            "oci,team/app",
            "oci,team/app,v2,extra",
            "oci, team/app,v3",
            "bad name!,team/app,v4",
            "oci,team/app,");

        Assert.Single(file.Requests);
        Assert.Equal([3, 4, 5, 6, 7], file.Problems.Select(p => p.Line));
        Assert.Contains("2 field(s)", file.Problems[0].Message);
        Assert.Contains("white space", file.Problems[2].Message);
        Assert.Contains("not a registry name", file.Problems[3].Message);
        Assert.Contains("tag is missing", file.Problems[4].Message);
    }

    [Theory]
    [InlineData("oci,team/app,v1", "unknown column \"oci\"")]
    [InlineData("registry,repository", "lacks the column(s) tag")]
    [InlineData("registry,repository,tag,tag", "twice")]
    public void A_bad_header_stops_the_file_at_line_1(string header, string expected)
    {
        var file = BatchFiles.Csv(header, "oci,team/app,v1");

        Assert.Empty(file.Requests);
        var problem = Assert.Single(file.Problems);
        Assert.Equal(1, problem.Line);
        Assert.Contains(expected, problem.Message);
    }

    [Fact]
    public void An_empty_file_has_no_header_and_says_so()
    {
        var problem = Assert.Single(BatchFiles.Csv("").Problems);

        Assert.Contains("no header", problem.Message);
    }

    [Fact]
    public void The_same_target_in_CSV_and_JSON_Lines_gets_the_same_RequestId()
    {
        var csv = BatchFiles.Csv("registry,repository,tag", "oci,team/app,v1").Requests[0];
        var jsonl = BatchFiles.Jsonl("""{"registry":"oci","repository":"team/app","tag":"v1"}""").Requests[0];

        Assert.Equal(jsonl.RequestId, csv.RequestId);
    }

    [Theory]
    [InlineData(null, "tags.csv", "{\"a\":1}", BatchFormat.Csv)]
    [InlineData(null, "tags.jsonl", "registry,repository,tag", BatchFormat.JsonLines)]
    [InlineData(null, "tags.NDJSON", "", BatchFormat.JsonLines)]
    [InlineData(null, "-", "  \n{\"registry\":\"oci\"}", BatchFormat.JsonLines)]
    [InlineData(null, "-", "registry,repository,tag", BatchFormat.Csv)]
    [InlineData("csv", "tags.jsonl", "{}", BatchFormat.Csv)]
    public void The_format_follows_the_option_then_the_extension_then_the_first_character(string? option, string path, string content, BatchFormat expected)
    {
        Assert.Equal(expected, BatchFormats.Resolve(option, path, content));
    }
}
