using System.Text.Json;
using MassTransit.Serialization;

namespace RegistryCleaner.Worker.PlainJson;

/// <summary>
/// What the deserializer lets through but a careful worker must not: a body too large for any command, and fields the
/// command does not have. Unknown fields mostly mean a body meant for another queue (a <c>DeleteTag</c> sent to
/// <c>delete-repository</c> would otherwise delete the whole repository) or a misspelt field; either way the sender did
/// not get what they wrote, so the command is refused rather than half understood.
/// </summary>
public static class PlainJsonBody
{
    private const int NamesShown = 5;

    public static string? Check(byte[] body, PlainJsonCommand command)
    {
        if (body.Length > PlainJsonCommands.MaxBodyBytes)
            return $"The body is {body.Length} bytes; a plain JSON command is at most {PlainJsonCommands.MaxBodyBytes} bytes.";
        if (body.Length == 0)
            return $"The body is empty; a {command.Queue} command is a JSON object with the fields {FieldList(command)}.";
        using var json = JsonDocument.Parse(body, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        if (json.RootElement.ValueKind != JsonValueKind.Object)
            return $"The body is a JSON {json.RootElement.ValueKind.ToString().ToLowerInvariant()}; a {command.Queue} command is a JSON object.";
        var known = Fields(command).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var unknown = json.RootElement.EnumerateObject().Select(p => p.Name).Where(n => !known.Contains(n)).Distinct().ToList();
        if (unknown.Count == 0)
            return null;
        var shown = string.Join(", ", unknown.Take(NamesShown).Select(n => $"'{Printable(n)}'")) + (unknown.Count > NamesShown ? $" and {unknown.Count - NamesShown} more" : "");
        return $"The body has {(unknown.Count == 1 ? "a field" : "fields")} that a {command.Queue} command does not have: {shown}. "
            + $"Is it meant for another queue? A {command.Queue} command has {FieldList(command)}.";
    }

    /// <summary>The JSON names the worker's deserializer reads for the command.</summary>
    public static IEnumerable<string> Fields(PlainJsonCommand command) =>
        SystemTextJsonMessageSerializer.Options.GetTypeInfo(command.MessageType).Properties.Select(p => p.Name);

    private static string FieldList(PlainJsonCommand command) => string.Join(", ", Fields(command));

    private static string Printable(string name)
    {
        var cut = name.Length > 40 ? name[..40] + "…" : name;
        return string.Concat(cut.Select(c => char.IsControl(c) ? '\uFFFD' : c));
    }
}
