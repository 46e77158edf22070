using System.Text.Json;
using System.Text.Json.Serialization;
using RegistryCleaner.Worker.Consumers;

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

    public static string Row(ResultEvent result) =>
        result.Succeeded is { } succeeded ? ResultRows.Of(succeeded) : ResultRows.Of(result.Failed!);
}
