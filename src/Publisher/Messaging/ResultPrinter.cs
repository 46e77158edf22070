using System.Text.Json;
using System.Text.Json.Nodes;
using RegistryCleaner.Common;
using RegistryCleaner.Publisher.Output;

namespace RegistryCleaner.Publisher.Messaging;

/// <summary>Deletion results, one per line.</summary>
public sealed class ResultPrinter(TextWriter output, bool json) : EventPrinter<ResultEvent>(output, json)
{
    public static string EventName(ResultEvent result) => result.IsSuccess ? "DeletionSucceeded" : "DeletionFailed";

    /// <summary>The event's own fields, without the <c>"event"</c> name.</summary>
    public static JsonObject ToJson(ResultEvent result)
    {
        object body = result.IsSuccess ? result.Succeeded! : result.Failed!;
        return JsonSerializer.SerializeToNode(body, body.GetType(), JsonLines.Options)!.AsObject();
    }

    public static string Row(ResultEvent result) =>
        result.Succeeded is { } succeeded ? ResultRows.Of(succeeded) : ResultRows.Of(result.Failed!);

    protected override string NameOf(ResultEvent result) => EventName(result);

    protected override object BodyOf(ResultEvent result) => ToJson(result);

    protected override string RowOf(ResultEvent result) => Row(result);
}
