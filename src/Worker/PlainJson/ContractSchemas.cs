using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using RegistryCleaner.Contracts;

namespace RegistryCleaner.Worker.PlainJson;

/// <summary>
/// JSON Schemas (draft 2020-12) of every plain JSON command and event, generated from the contracts with .NET's
/// <see cref="JsonSchemaExporter"/>, as checked in under <c>schemas/</c>: file name (relative, '/'-separated) → text.
/// </summary>
public static class ContractSchemas
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static SortedDictionary<string, string> Generate()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var command in PlainJsonCommands.All)
        {
            var schema = Export(command.MessageType, CommandRequired);
            var root = schema.AsObject();
            root["additionalProperties"] = false; // the worker refuses a plain JSON command with a field it does not have
            files[$"commands/{command.MessageType.Name}.schema.json"] = Write(command.MessageType, schema,
                $"A {command.MessageType.Name} command as a plain JSON body: publish it to the exchange (or queue) '{command.Queue}' "
                + $"with content_type application/json. Without '{command.IdField}', the AMQP message_id is the id (a UUID as is, other "
                + "text turned into a UUID); without either, an id derived from the body. The result event carries it.");
        }
        foreach (var route in EventRoutes.All)
        {
            files[$"events/{route.Name}.schema.json"] = Write(route.MessageType, Export(route.MessageType, EveryProperty),
                $"A {route.Name} event as published to the topic exchange '{EventsExchange.Name}' with routing key "
                + $"'{route.Word}.<registry>' (a command naming no valid registry: '{route.Word}.{EventsExchange.InvalidRegistry}'), "
                + $"AMQP type '{route.Name}', content_type application/json. Observers should ignore fields they do not know.");
        }
        return files;
    }

    private static JsonNode Export(Type type, Func<JsonTypeInfo, IEnumerable<string>> required) =>
        ContractJson.Options.GetJsonSchemaAsNode(type, new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, node) =>
            {
                if (context.PropertyInfo is null && context.TypeInfo.Kind == JsonTypeInfoKind.Object && node is JsonObject schema)
                {
                    var names = required(context.TypeInfo).ToList();
                    if (names.Count > 0)
                        schema["required"] = new JsonArray([.. names.Select(n => JsonValue.Create(n))]);
                }
                return node;
            },
        });

    /// <summary>A command's text fields that may not be null; what else is missing takes its default (false, or an id found elsewhere).</summary>
    private static IEnumerable<string> CommandRequired(JsonTypeInfo type) =>
        type.Properties.Where(p => p.PropertyType == typeof(string) && !p.IsSetNullable).Select(p => p.Name);

    /// <summary>Events are written whole: every field is there, null where it has no value.</summary>
    private static IEnumerable<string> EveryProperty(JsonTypeInfo type) => type.Properties.Select(p => p.Name);

    private static string Write(Type type, JsonNode schema, string description)
    {
        var document = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["title"] = type.Name,
            ["description"] = description,
        };
        foreach (var (key, value) in schema.AsObject().ToList())
        {
            schema.AsObject().Remove(key);
            document[key] = value;
        }
        return document.ToJsonString(Indented).ReplaceLineEndings("\n") + "\n";
    }
}
