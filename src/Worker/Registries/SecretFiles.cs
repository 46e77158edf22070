using Microsoft.Extensions.Options;
using RegistryCleaner.Common;

namespace RegistryCleaner.Worker.Registries;

/// <summary>
/// Reads registry secrets from files (<c>Registries:&lt;name&gt;:PasswordFile</c>, <c>SecretKeyFile</c>, <c>TokenFile</c>), as container
/// platforms mount them, before the options are validated. A file that cannot be read stops start-up, naming its key.
/// </summary>
public sealed class SecretFiles : IPostConfigureOptions<RegistriesOptions>
{
    public void PostConfigure(string? name, RegistriesOptions options)
    {
        foreach (var (registry, o) in options.Registries)
        {
            var key = $"{RegistriesOptions.Section}:{registry}";
            o.Password = Resolve(key, nameof(RegistryOptions.Password), o.Password, o.PasswordFile, o.SecretFileErrors);
            o.SecretKey = Resolve(key, nameof(RegistryOptions.SecretKey), o.SecretKey, o.SecretKeyFile, o.SecretFileErrors);
            o.Token = Resolve(key, nameof(RegistryOptions.Token), o.Token, o.TokenFile, o.SecretFileErrors);
        }
    }

    private static string? Resolve(string key, string field, string? value, string? file, List<string> errors)
    {
        if (string.IsNullOrEmpty(file))
            return value;
        if (!string.IsNullOrEmpty(value))
        {
            errors.Add($"{key}:{field} and {key}:{field}File are both set; set one of them.");
            return value;
        }
        return SecretFile.Read(file, $"{key}:{field}File", errors);
    }
}
