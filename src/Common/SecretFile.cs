namespace RegistryCleaner.Common;

public static class SecretFile
{
    /// <summary>The file's content without the line break that editors and <c>echo</c> leave at its end.</summary>
    public static string? Read(string path, string key, List<string> errors)
    {
        try
        {
            var secret = File.ReadAllText(path).TrimEnd('\r', '\n');
            if (secret.Length > 0)
                return secret;
            errors.Add($"{key}: the file '{path}' is empty.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            errors.Add($"{key}: cannot read '{path}': {e.Message}");
        }
        return null;
    }
}
