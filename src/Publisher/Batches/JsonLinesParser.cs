using System.Text.Json;

namespace RegistryCleaner.Publisher.Batches;

/// <summary>
/// One JSON object per line: <c>{"registry":"r","repository":"team/app","tag":"v1"}</c>, optionally with
/// <c>reason</c> and <c>requestId</c>. Blank lines are skipped; field names are matched without regard to case.
/// </summary>
public static class JsonLinesParser
{
    public static readonly string[] Fields = ["registry", "repository", "tag", "reason", "requestId"];

    public static IEnumerable<(BatchFields? Fields, BatchProblem? Problem)> Parse(TextReader reader)
    {
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            yield return ParseLine(number, line);
        }
    }

    private static (BatchFields?, BatchProblem?) ParseLine(int number, string line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            return (null, new BatchProblem(number, $"is not valid JSON ({Short(e)})."));
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return (null, new BatchProblem(number, $"must be a JSON object such as {{\"registry\":\"r\",\"repository\":\"team/app\",\"tag\":\"v1\"}}, not a {document.RootElement.ValueKind.ToString().ToLowerInvariant()}."));

            var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var field = Array.Find(Fields, f => f.Equals(property.Name, StringComparison.OrdinalIgnoreCase));
                if (field is null)
                    return (null, new BatchProblem(number, $"has the unknown field \"{Printable(property.Name)}\"; the fields are {string.Join(", ", Fields)}."));
                if (values.ContainsKey(field))
                    return (null, new BatchProblem(number, $"has the field \"{field}\" twice."));
                switch (property.Value.ValueKind)
                {
                    case JsonValueKind.String:
                        values[field] = property.Value.GetString();
                        break;
                    case JsonValueKind.Null:
                        values[field] = null;
                        break;
                    default:
                        return (null, new BatchProblem(number, $"field \"{field}\" must be a string, not a {property.Value.ValueKind.ToString().ToLowerInvariant()}."));
                }
            }
            return (new BatchFields(number, values.GetValueOrDefault("registry"), values.GetValueOrDefault("repository"), values.GetValueOrDefault("tag"),
                values.GetValueOrDefault("reason"), values.GetValueOrDefault("requestId")), null);
        }
    }

    /// <summary>The parser's message without its position suffix: the line number is what the reader needs.</summary>
    private static string Short(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd(' ', '.');
    }

    private static string Printable(string name) =>
        name.Length > 40 || name.Any(char.IsControl) ? string.Concat(name.Take(40).Select(c => char.IsControl(c) ? '?' : c)) + "…" : name;
}
