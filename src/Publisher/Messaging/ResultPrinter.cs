using System.Text.Json;
using System.Text.Json.Nodes;
using RegistryCleaner.Common;
using RegistryCleaner.Publisher.Output;

namespace RegistryCleaner.Publisher.Messaging;

/// <summary>One result per line: a readable row for people, or one JSON object per line for pipes.</summary>
public sealed class ResultPrinter(TextWriter output, bool json)
{
    private readonly JsonLines _json = new(output);

    public void Print(ResultEvent result)
    {
        if (json)
        {
            _json.Write(EventName(result), ToJson(result));
            return;
        }
        output.WriteLine(Row(result));
        output.Flush();
    }

    public static string EventName(ResultEvent result) => result.IsSuccess ? "DeletionSucceeded" : "DeletionFailed";

    /// <summary>The event's own fields, without the <c>"event"</c> name.</summary>
    public static JsonObject ToJson(ResultEvent result)
    {
        object body = result.IsSuccess ? result.Succeeded! : result.Failed!;
        return JsonSerializer.SerializeToNode(body, body.GetType(), JsonLines.Options)!.AsObject();
    }

    public static string Row(ResultEvent result) =>
        result.Succeeded is { } succeeded ? ResultRows.Of(succeeded) : ResultRows.Of(result.Failed!);
}
