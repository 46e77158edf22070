using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
namespace RegistryCleaner.Worker.Observability;

public static class LoggingServices
{
    /// <summary>
    /// Log lines carry the trace and span they belong to. With <c>Logging:Console:FormatterName=json</c> each line is
    /// one JSON object with its named values and scopes (RequestId among them) and a UTC timestamp; any
    /// <c>Logging:Console:FormatterOptions:*</c> setting still wins over these defaults.
    /// </summary>
    public static ILoggingBuilder AddWorkerLogging(this ILoggingBuilder logging, IConfiguration configuration)
    {
        logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        var formatter = configuration.GetSection("Logging:Console:FormatterOptions");
        logging.Services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            if (formatter[nameof(o.IncludeScopes)] is null)
                o.IncludeScopes = true;
            if (formatter[nameof(o.UseUtcTimestamp)] is null)
                o.UseUtcTimestamp = true;
            if (formatter[nameof(o.TimestampFormat)] is null)
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
        });
        return logging;
    }

    /// <summary>Every HttpClient from the factory logs through <see cref="RegistryHttpLogger"/> instead of the default loggers.</summary>
    public static IServiceCollection AddHeaderFreeHttpLogging(this IServiceCollection services)
    {
        services.TryAddSingleton<RegistryHttpLogger>();
        services.ConfigureHttpClientDefaults(c => c.RemoveAllLoggers().AddLogger<RegistryHttpLogger>());
        return services;
    }
}
