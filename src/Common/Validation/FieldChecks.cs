using System.Buffers;

namespace RegistryCleaner.Common.Validation;

/// <summary>
/// The checks every registry kind shares, worded with the field's name as the caller spells it. The worker runs them on every
/// command, and the CLI on every line of a batch file, so both refuse the same values; each registry kind then adds its own
/// grammar in the worker (IMS keys, for one, may hold any printable text, spaces included).
/// </summary>
public static class FieldChecks
{
    private static readonly SearchValues<char> UrlChangingCharacters = SearchValues.Create("?#%\\");

    /// <summary>Missing, too long, or holding a control character.</summary>
    public static string? Required(string field, string? value, int maxLength) =>
        string.IsNullOrEmpty(value) ? $"{field} is missing." : Optional(field, value, maxLength);

    /// <summary>Too long or holding a control character; a missing value passes.</summary>
    public static string? Optional(string field, string? value, int maxLength)
    {
        if (value is null)
            return null;
        if (value.Length > maxLength)
            return $"{field} is {value.Length} characters long; at most {maxLength} are allowed.";
        return NameRules.HasControlCharacter(value) ? $"{field} contains a control character (such as NUL, CR or LF)." : null;
    }

    /// <summary>A name that would change the request URL it is put in: '..', '?', '#', '%' or '\'.</summary>
    public static bool ChangesUrl(string value) =>
        value.Contains("..", StringComparison.Ordinal) || value.AsSpan().IndexOfAny(UrlChangingCharacters) >= 0;

    /// <summary>Why a registry name is not one, or null when it is; each caller words the answer for its own readers.</summary>
    public static RegistryNameProblem? RegistryName(string? registry)
    {
        if (string.IsNullOrEmpty(registry))
            return RegistryNameProblem.Missing;
        if (registry.Contains("://", StringComparison.Ordinal) || registry.Contains('/'))
            return RegistryNameProblem.UrlOrPath;
        return NameRules.IsRegistryName(registry) ? null : RegistryNameProblem.NotAName;
    }
}

public enum RegistryNameProblem
{
    Missing,
    UrlOrPath,
    NotAName,
}
