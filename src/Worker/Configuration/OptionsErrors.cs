using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RegistryCleaner.Worker.Configuration;

public static class OptionsErrors
{
    /// <summary>Validates the options with a check that lists every error it finds (none: valid), so that start-up names them all.</summary>
    public static OptionsBuilder<TOptions> ValidateErrors<TOptions>(this OptionsBuilder<TOptions> builder, Func<TOptions, IEnumerable<string>> errors)
        where TOptions : class
    {
        builder.Services.AddSingleton<IValidateOptions<TOptions>>(new ErrorListValidator<TOptions>(errors));
        return builder;
    }

    private sealed class ErrorListValidator<TOptions>(Func<TOptions, IEnumerable<string>> errors) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            var found = errors(options).ToList();
            return found.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(found);
        }
    }
}
