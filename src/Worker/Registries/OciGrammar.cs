using RegistryCleaner.Common.Validation;

namespace RegistryCleaner.Worker.Registries;

/// <summary>The OCI distribution name grammar, for every registry kind that follows it (OCI, NCR).</summary>
public static class OciGrammar
{
    /// <param name="field">How the refusal names the repository, for registries that call it something else.</param>
    public static string? RepositoryError(string repository, string field = "Repository") => NameRules.IsOciRepository(repository) ? null
        : $"{field} must follow the OCI grammar: lowercase letters and digits, separated by '.', '_', '__', '-' or '/', at most 255 characters.";

    public static string? TagError(string tag) => NameRules.IsOciTag(tag) ? null
        : "Tag must follow the OCI grammar: a letter, digit or '_', then up to 127 letters, digits, '_', '.' or '-'.";
}
