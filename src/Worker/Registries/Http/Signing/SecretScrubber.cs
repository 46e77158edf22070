namespace RegistryCleaner.Worker.Registries.Http.Signing;

/// <summary>Removes configured secrets from text a registry sent back, before it goes into a failure detail.</summary>
public sealed class SecretScrubber(params string?[] secrets)
{
    private const int MaxLength = 200;
    private readonly string[] _secrets = secrets.Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).ToArray();

    public string Scrub(string text)
    {
        foreach (var secret in _secrets)
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        return text.Length <= MaxLength ? text : text[..MaxLength] + "…";
    }
}
