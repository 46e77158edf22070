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

    /// <summary>Only OCI registries are asked whether an untagged subject is stored (HEAD of the digest).</summary>
    private static bool CanTellAbsentSubjects(IConfiguration configuration, string registry) =>
        Enum.TryParse<Registries.RegistryKind>(configuration[$"{Registries.RegistriesOptions.Section}:{registry}:Kind"], ignoreCase: true, out var kind)
        && kind == Registries.RegistryKind.Oci;

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
            if (options.DeleteOrphanedReferrers && options.Registry is { } registry && known.Contains(registry) && !CanTellAbsentSubjects(configuration, registry))
            {
                errors.Add($"{RetentionOptions.Section}:Policies:{section.Key}:DeleteOrphanedReferrers needs a registry that can say a signature's image is gone; "
                    + $"'{registry}' is not an OCI registry, so its orphans cannot be told from signatures of kept images. Remove the key.");
            }
        }
        if (errors.Count > 0)
            throw new OptionsValidationException(RetentionOptions.Section, typeof(RetentionOptions), errors);
        return policies;
    }
}
