using Microsoft.Extensions.Options;

namespace RegistryCleaner.Worker.Registries;

public sealed class RetryOptionsValidator : IValidateOptions<RetryOptions>
{
    public ValidateOptionsResult Validate(string? name, RetryOptions o)
    {
        var errors = new List<string>();
        if (o.MaxAttempts is < 1 or > 20)
            errors.Add($"Retry:MaxAttempts must be between 1 and 20 (is {o.MaxAttempts}).");
        if (o.BaseDelay < TimeSpan.Zero || o.BaseDelay > TimeSpan.FromMinutes(5))
            errors.Add("Retry:BaseDelay must be between 0 and 5 minutes.");
        if (o.MaxDelay < o.BaseDelay || o.MaxDelay > TimeSpan.FromMinutes(10))
            errors.Add("Retry:MaxDelay must be at least Retry:BaseDelay and at most 10 minutes.");
        if (o.MaxRetryAfter < TimeSpan.Zero || o.MaxRetryAfter > TimeSpan.FromMinutes(10))
            errors.Add("Retry:MaxRetryAfter must be between 0 and 10 minutes.");
        if (o.AttemptTimeout <= TimeSpan.Zero || o.AttemptTimeout > TimeSpan.FromMinutes(10))
            errors.Add("Retry:AttemptTimeout must be between 0 and 10 minutes.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
