using RegistryCleaner.Common.Validation;
using RegistryCleaner.Worker.Matching;
namespace RegistryCleaner.Worker.Registries;

/// <summary>Checks every configured registry at start-up, naming the configuration key that is wrong.</summary>
public static class RegistriesOptionsValidator
{
    public static List<string> Errors(RegistriesOptions options)
    {
        var errors = new List<string>();
        foreach (var (registry, o) in options.Registries)
        {
            var key = $"Registries:{registry}";
            if (!NameRules.IsRegistryName(registry))
                errors.Add($"{key}: a registry name may hold only letters, digits, '_', '-' and '.' (at most {NameRules.MaxRegistryName} characters).");
            if (o.Kind is null)
                errors.Add($"{key}:Kind is required: one of {string.Join(", ", Enum.GetNames<RegistryKind>())}.");
            errors.AddRange(EndpointErrors(key, o));
            if (o.MaxConcurrency is < 1 or > 1024)
                errors.Add($"{key}:MaxConcurrency must be between 1 and 1024 (is {o.MaxConcurrency}).");
            errors.AddRange(Resilience.RegistryLimits.Errors(key, o.RequestsPerSecond, o.Outage));
            errors.AddRange(o.UntagBatch.Errors(key));
            errors.AddRange(o.SecretFileErrors);
            errors.AddRange(KindErrors(key, o));
            errors.AddRange(RuleErrors(key, o));
        }
        return errors;
    }

    private static IEnumerable<string> EndpointErrors(string key, RegistryOptions o)
    {
        if (string.IsNullOrWhiteSpace(o.Endpoint))
        {
            yield return $"{key}:Endpoint is required (the API base URL, e.g. https://registry.example.com).";
            yield break;
        }
        if (!Uri.TryCreate(o.Endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            yield return $"{key}:Endpoint must be an absolute http(s) URL.";
            yield break;
        }
        if (!string.IsNullOrEmpty(uri.UserInfo))
            yield return $"{key}:Endpoint must not carry credentials; use {key}:Username and {key}:Password.";
        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback && !o.AllowInsecureHttp)
            yield return $"{key}:Endpoint uses plain http to a host that is not loopback; use https, or set {key}:AllowInsecureHttp=true.";
    }

    private static List<string> RuleErrors(string key, RegistryOptions o)
    {
        var errors = new List<string>();
        RulePattern.CompileAll($"{key}:{nameof(RegistryOptions.AllowedRepositories)}", o.AllowedRepositories, errors);
        RulePattern.CompileAll($"{key}:{nameof(RegistryOptions.ProtectedTags)}", o.ProtectedTags, errors);
        for (var i = 0; i < o.AllowedPublishers.Count; i++)
        {
            var user = o.AllowedPublishers[i];
            if (string.IsNullOrWhiteSpace(user) || user.Trim() != user || NameRules.HasControlCharacter(user))
                errors.Add($"{key}:{nameof(RegistryOptions.AllowedPublishers)}:{i} must be a broker user name, without surrounding spaces or control characters.");
        }
        return errors;
    }

    private static IEnumerable<string> KindErrors(string key, RegistryOptions o)
    {
        switch (o.Kind)
        {
            case RegistryKind.Oci:
                if (string.IsNullOrEmpty(o.Username) != string.IsNullOrEmpty(o.Password))
                    yield return $"{key}:Username and {key}:Password go together.";
                break;
            case RegistryKind.Swr or RegistryKind.Ims:
                if (string.IsNullOrEmpty(o.Token) && (string.IsNullOrEmpty(o.AccessKey) || string.IsNullOrEmpty(o.SecretKey)))
                    yield return $"{key}: set {key}:AccessKey and {key}:SecretKey, or {key}:Token.";
                if (o.Kind == RegistryKind.Ims && string.IsNullOrWhiteSpace(o.ProjectId))
                    yield return $"{key}:ProjectId is required for an Ims registry.";
                break;
            case RegistryKind.Ncr:
                if (string.IsNullOrEmpty(o.AccessKey) || string.IsNullOrEmpty(o.SecretKey))
                    yield return $"{key}:AccessKey and {key}:SecretKey are required for an Ncr registry.";
                if (string.IsNullOrWhiteSpace(o.NcrRegistry))
                    yield return $"{key}:NcrRegistry is required for an Ncr registry.";
                break;
        }
    }
}
