using System.Text.Json;
using System.Text.Json.Serialization;

namespace RegistryCleaner.Publisher.Messaging;

/// <summary>One result per line: a readable row for people, or one JSON object per line for pipes.</summary>
public sealed class ResultPrinter(TextWriter output, bool json)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public void Print(ResultEvent result)
    {
        if (json)
        {
            object body = result.IsSuccess ? result.Succeeded! : result.Failed!;
            var element = JsonSerializer.SerializeToNode(body, body.GetType(), Json)!.AsObject();
            element.Insert(0, "event", result.IsSuccess ? "DeletionSucceeded" : "DeletionFailed");
            output.WriteLine(element.ToJsonString(Json));
        }
        else
        {
            output.WriteLine(Row(result));
        }
        output.Flush();
    }

    public static string Row(ResultEvent result)
    {
        if (result.Succeeded is { } s)
        {
            var what = s.Tag is null ? $"{s.Registry}/{s.Repository}" : $"{s.Registry}/{s.Repository}:{s.Tag}";
            var tags = s.TagsDeleted is { } n ? $"  tags={n}" : "";
            return $"{s.CompletedAt:HH:mm:ss}  {Outcome(s.Outcome.ToString()),-15} {what}  attempts={s.Attempts}{tags}  {s.Elapsed.TotalMilliseconds:F0} ms  request={s.RequestId}";
        }
        var f = result.Failed!;
        var target = f.Tag is null ? $"{f.Registry}/{f.Repository}" : $"{f.Registry}/{f.Repository}:{f.Tag}";
        var status = f.LastStatus is { } code ? $" status={code}" : "";
        return $"{f.FailedAt:HH:mm:ss}  FAILED {f.Failure,-8} {target}  attempts={f.Attempts}{status}  request={f.RequestId}\n          {f.Detail}";
    }

    private static string Outcome(string outcome) => outcome == "AlreadyAbsent" ? "already-absent" : outcome.ToLowerInvariant();
}
