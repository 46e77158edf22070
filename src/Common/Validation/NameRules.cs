using System.Text.RegularExpressions;

namespace RegistryCleaner.Common.Validation;

/// <summary>Grammar shared by every registry kind. Patterns use explicit ASCII classes and \z, so look-alike letters and a trailing newline never pass.</summary>
public static partial class NameRules
{
    public const int MaxRegistryName = 64;
    public const int MaxRepository = 255;
    public const int MaxTag = 128;

    /// <summary>The longest tag field any kind accepts (IMS keys are not limited by their API; this bound is ours).</summary>
    public const int MaxTagField = 1024;
    public const int MaxReason = 1024;
    public const int MaxRequestedBy = 256;

    public static bool IsRegistryName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= MaxRegistryName && RegistryName().IsMatch(name);

    public static bool IsOciRepository(string name) => name.Length <= MaxRepository && OciRepository().IsMatch(name);

    public static bool IsOciTag(string tag) => OciTag().IsMatch(tag);

    public static bool HasControlCharacter(string value) => value.Any(char.IsControl);

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9_.-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex RegistryName();

    [GeneratedRegex(@"\A[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex OciRepository();

    [GeneratedRegex(@"\A[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex OciTag();
}
