using RegistryCleaner.Publisher.Batches;

namespace RegistryCleaner.Publisher.Tests;

public sealed class JsonLinesFileSpecs
{
    [Fact]
    public void Valid_lines_become_DeleteTag_commands_with_their_line_numbers()
    {
        var file = BatchFiles.Jsonl(
            """{"registry":"oci","repository":"team/app","tag":"v1"}""",
            "",
            """{"Registry":"oci","Repository":"team/app","Tag":"v2","reason":"old","requestId":"3f2b8c1e-5d4a-4b7e-9a61-0c2d7e8f9a10"}""");

        Assert.Empty(file.Problems);
        Assert.Collection(file.Requests,
            first =>
            {
                Assert.Equal(1, first.Line);
                Assert.Equal(("oci", "team/app", "v1"), (first.Command.Registry, first.Command.Repository, first.Command.Tag));
                Assert.Equal("default reason", first.Command.Reason);
                Assert.Equal("tester", first.Command.RequestedBy);
                Assert.False(first.IdGiven);
            },
            second =>
            {
                Assert.Equal(3, second.Line);
                Assert.Equal("old", second.Command.Reason);
                Assert.Equal(Guid.Parse("3f2b8c1e-5d4a-4b7e-9a61-0c2d7e8f9a10"), second.RequestId);
                Assert.True(second.IdGiven);
            });
    }

    [Fact]
    public void Every_bad_line_is_reported_with_its_number_and_the_good_ones_are_kept_apart()
    {
        var file = BatchFiles.Jsonl(
            """{"registry":"oci","repository":"team/app","tag":"v1"}""",
            """{"registry":"oci","repository":"team/app"}""",
            "{not json",
            """["oci","team/app","v1"]""",
            """{"registry":"https://registry.example","repository":"team/app","tag":"v1"}""",
            """{"registry":"oci","repository":"team/../app","tag":"v1"}""",
            """{"registry":"oci","repository":"team/app","tag":"v1","tga":"x"}""",
            """{"registry":"oci","repository":"team/app","tag":5}""",
            """{"registry":"oci","repository":"team/app","tag":"v9","requestId":"not-a-guid"}""",
            """{"registry":"oci","repository":"team/app","tag":"v1\n"}""");

        Assert.Single(file.Requests);
        Assert.Equal([2, 3, 4, 5, 6, 7, 8, 9, 10], file.Problems.Select(p => p.Line));
        Assert.Contains("tag is missing", file.Problems[0].Message);
        Assert.Contains("not valid JSON", file.Problems[1].Message);
        Assert.Contains("must be a JSON object", file.Problems[2].Message);
        Assert.Contains("not a URL", file.Problems[3].Message);
        Assert.Contains("'..'", file.Problems[4].Message);
        Assert.Contains("unknown field \"tga\"", file.Problems[5].Message);
        Assert.Contains("must be a string", file.Problems[6].Message);
        Assert.Contains("not a GUID", file.Problems[7].Message);
        Assert.Contains("control character", file.Problems[8].Message);
    }

    [Fact]
    public void RequestIds_derive_from_the_target_so_the_same_file_gives_the_same_ids()
    {
        string[] lines = ["""{"registry":"oci","repository":"team/app","tag":"v1"}""", """{"registry":"oci","repository":"team/app","tag":"v2"}"""];

        var first = BatchFiles.Jsonl(lines).Requests.Select(r => r.RequestId).ToList();
        var again = BatchFiles.Jsonl(lines).Requests.Select(r => r.RequestId).ToList();
        var otherCase = BatchFiles.Jsonl("""{"registry":"OCI","repository":"team/app","tag":"v1"}""").Requests[0].RequestId;

        Assert.Equal(first, again);
        Assert.NotEqual(first[0], first[1]);
        Assert.Equal(first[0], otherCase);
        Assert.NotEqual(Guid.Empty, first[0]);
    }

    [Fact]
    public void A_repeated_line_is_sent_once_and_a_RequestId_reused_for_another_target_is_an_error()
    {
        var file = BatchFiles.Jsonl(
            """{"registry":"oci","repository":"team/app","tag":"v1"}""",
            """{"registry":"oci","repository":"team/app","tag":"v1","reason":"again"}""",
            """{"registry":"oci","repository":"team/app","tag":"v2","requestId":"3f2b8c1e-5d4a-4b7e-9a61-0c2d7e8f9a10"}""",
            """{"registry":"oci","repository":"team/app","tag":"v3","requestId":"3f2b8c1e-5d4a-4b7e-9a61-0c2d7e8f9a10"}""");

        Assert.Equal([1, 3], file.Requests.Select(r => r.Line));
        Assert.Equal(new BatchDuplicate(2, 1), Assert.Single(file.Duplicates));
        var problem = Assert.Single(file.Problems);
        Assert.Equal(4, problem.Line);
        Assert.Contains("line 3", problem.Message);
    }
}
