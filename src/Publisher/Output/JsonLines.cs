using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace RegistryCleaner.Publisher.Output;

/// <summary>One JSON object per line on standard output, whole lines even when several tasks write at once.</summary>
public sealed class JsonLines(TextWriter output)
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        // Standard output is read by programs, not embedded in HTML: keep ' + < > as they are.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly Lock _gate = new();

    /// <summary>Writes <paramref name="body"/> as an object whose first field is <c>"event"</c>.</summary>
    public void Write(string eventName, object body)
    {
        var node = body as JsonObject ?? JsonSerializer.SerializeToNode(body, body.GetType(), Options)!.AsObject();
        node.Insert(0, "event", eventName);
        var line = node.ToJsonString(Options);
        lock (_gate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
