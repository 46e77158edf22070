using Microsoft.Extensions.Options;
using RegistryCleaner.Worker.Matching;

namespace RegistryCleaner.Worker.Protection;

public sealed class ProtectionOptionsValidator : IValidateOptions<ProtectionOptions>
{
    public ValidateOptionsResult Validate(string? name, ProtectionOptions options)
    {
        var errors = new List<string>();
        RulePattern.CompileAll($"{ProtectionOptions.Section}:Tags", options.Tags, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
