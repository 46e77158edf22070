namespace RegistryCleaner.Common;

public static class Printable
{
    /// <summary>Text from a message, safe for a terminal: control characters (escape sequences, line breaks) shown as '?'.</summary>
    public static string Of(string? text) =>
        text is null ? "" : string.Create(text.Length, text, static (span, t) =>
        {
            for (var i = 0; i < span.Length; i++)
                span[i] = char.IsControl(t[i]) ? '?' : t[i];
        });
}
