using RegistryCleaner.Common;
using RegistryCleaner.Contracts;

namespace RegistryCleaner.Publisher.Tests;

/// <summary>Result rows go to terminals: what an event carries cannot move the cursor or forge a line.</summary>
public sealed class ResultRowSpecs
{
    [Fact]
    public void A_failures_names_and_detail_print_control_characters_as_question_marks()
    {
        var failed = new DeletionFailed
        {
            RequestId = Guid.NewGuid(),
            Registry = "oci",
            Repository = "team/app\u001b[2J",
            Tag = "v1\r",
            Failure = FailureKind.Rejected,
            Detail = "Kept team/app:v1\u001b[H\nFORGED  deleted  everything",
            FailedAt = DateTimeOffset.UnixEpoch,
        };

        var row = ResultRows.Of(failed);

        var lines = row.Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Contains("oci/team/app?[2J:v1?", lines[0]);
        Assert.Equal("          Kept team/app:v1?[H?FORGED  deleted  everything", lines[1]);
        Assert.DoesNotContain(row.Replace("\n", ""), char.IsControl);
    }

    [Fact]
    public void A_deletions_row_prints_control_characters_as_question_marks()
    {
        var succeeded = new DeletionSucceeded { RequestId = Guid.NewGuid(), Registry = "oci", Repository = "team/app", Tag = "v1\u001b]0;title\u0007", CompletedAt = DateTimeOffset.UnixEpoch };

        Assert.Contains("oci/team/app:v1?]0;title?", ResultRows.Of(succeeded));
    }
}
