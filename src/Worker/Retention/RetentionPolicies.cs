using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace RegistryCleaner.Worker.Retention;

/// <summary>The checked policies by name. Built once at start-up; a bad policy stops the worker with every error listed.</summary>
public sealed class RetentionPolicies
{
    private readonly Dictionary<string, RetentionPolicy> _policies;

    public RetentionPolicies(Dictionary<string, RetentionPolicy> policies) => _policies = policies;

    public IReadOnlyCollection<RetentionPolicy> All => _policies.Values;

    public bool TryGet(string name, out RetentionPolicy policy) => _policies.TryGetValue(name, out policy!);

    public static Dictionary<string, RetentionPolicy> Load(IConfiguration configuration, ICollection<string> registries)
    {
        var known = new HashSet<string>(registries, StringComparer.OrdinalIgnoreCase);
        var errors = new List<string>();
        var policies = new Dictionary<string, RetentionPolicy>(StringComparer.OrdinalIgnoreCase);
        foreach (var section in configuration.GetSection($"{RetentionOptions.Section}:Policies").GetChildren())
        {
            var options = new PolicyOptions();
            try
            {
                section.Bind(options);
            }
            catch (InvalidOperationException e)
            {
                errors.Add(e.Message);
                continue;
            }
            policies[section.Key] = PolicyCompiler.Compile(section.Key, options, known, errors);
        }
        if (errors.Count > 0)
            throw new OptionsValidationException(RetentionOptions.Section, typeof(RetentionOptions), errors);
        return policies;
    }
}
