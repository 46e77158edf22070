using Microsoft.Extensions.Options;
using RegistryCleaner.Worker.Matching;
using RegistryCleaner.Worker.Registries;

namespace RegistryCleaner.Worker.Protection;

/// <summary>The rules of every configured registry, compiled once. The options were validated at start-up, so every pattern compiles here.</summary>
public sealed class DeletionRules
{
    private readonly Dictionary<string, RegistryRules> _rules = new(StringComparer.OrdinalIgnoreCase);

    public DeletionRules(IOptions<RegistriesOptions> registries, IOptions<ProtectionOptions> protection, WorkerIdentity worker)
    {
        var errors = new List<string>();
        var global = RulePattern.CompileAll($"{ProtectionOptions.Section}:Tags", protection.Value.Tags, errors);
        foreach (var (name, o) in registries.Value.Registries)
        {
            var key = $"{RegistriesOptions.Section}:{name}";
            var scopes = RulePattern.CompileAll($"{key}:{nameof(RegistryOptions.AllowedRepositories)}", o.AllowedRepositories, errors);
            var tags = RulePattern.CompileAll($"{key}:{nameof(RegistryOptions.ProtectedTags)}", o.ProtectedTags, errors);
            _rules[name] = new RegistryRules(name, scopes, [.. global, .. tags], o.AllowedPublishers, worker.BrokerUser);
        }
        if (errors.Count > 0)
            throw new OptionsValidationException(RegistriesOptions.Section, typeof(RegistriesOptions), errors);
    }

    /// <summary>The rules of a configured registry; callers check the name against the catalog first.</summary>
    public RegistryRules For(string registry) => _rules.TryGetValue(registry, out var rules)
        ? rules
        : throw new InvalidOperationException($"Registry '{registry}' is not configured.");
}

/// <summary>The broker user the worker itself connects as, or null on the in-memory transport.</summary>
public sealed record WorkerIdentity(string? BrokerUser);
