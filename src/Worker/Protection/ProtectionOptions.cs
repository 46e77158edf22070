using RegistryCleaner.Worker.Matching;

namespace RegistryCleaner.Worker.Protection;

/// <summary><c>Protection:Tags:N</c>: anchored regular expressions of tags that no command and no retention run may delete, in any registry.</summary>
public sealed class ProtectionOptions
{
    public const string Section = "Protection";

    public List<string> Tags { get; set; } = [];

    public List<string> Errors()
    {
        var errors = new List<string>();
        RulePattern.CompileAll($"{Section}:Tags", Tags, errors);
        return errors;
    }
}
