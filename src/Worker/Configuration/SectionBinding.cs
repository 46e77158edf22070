using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace RegistryCleaner.Worker.Configuration;

/// <summary>Binding for options that are read once at start-up, where a bad value must stop the worker with every error listed.</summary>
public static class SectionBinding
{
    /// <summary>
    /// Binds the section to new options, adding what is wrong to <paramref name="errors"/> instead of throwing: a
    /// <paramref name="kindKey"/> that names no <typeparamref name="TKind"/> is reported with the values it may take.
    /// </summary>
    public static TOptions Bind<TOptions, TKind>(IConfigurationSection section, string kindKey, List<string> errors)
        where TOptions : new()
        where TKind : struct, Enum
    {
        var options = new TOptions();
        if (section[kindKey] is { } kind && !Enum.TryParse<TKind>(kind, ignoreCase: true, out _))
            errors.Add($"{section.Path}:{kindKey} must be one of {string.Join(", ", Enum.GetNames<TKind>())} (is '{kind}').");
        else
        {
            try
            {
                section.Bind(options);
            }
            catch (InvalidOperationException e)
            {
                errors.Add(e.Message);
            }
        }
        return options;
    }

    /// <summary>The options when nothing was wrong; else an <see cref="OptionsValidationException"/> listing every error.</summary>
    public static TOptions Checked<TOptions>(TOptions options, string section, List<string> errors) =>
        errors.Count == 0 ? options : throw new OptionsValidationException(section, typeof(TOptions), errors);
}
