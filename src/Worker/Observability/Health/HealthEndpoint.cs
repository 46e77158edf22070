using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RegistryCleaner.Worker.Observability.Health;

/// <summary>
/// A small Kestrel listener beside the worker serving <c>/health/live</c> and <c>/health/ready</c> with
/// <c>MapHealthChecks</c>: 200 or 503 with a JSON body naming each check. Ready means every readiness check is healthy;
/// live means none is unhealthy.
/// </summary>
public sealed class HealthEndpoint(IOptions<HealthOptions> options, HealthCheckService health, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger<HealthEndpoint>();
    private WebApplication? _app;

    /// <summary>Where the endpoints listen once started, e.g. <c>http://127.0.0.1:8081</c>.</summary>
    public Uri? BaseAddress { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        HealthOptions.TryParseAddress(o.Address, out var address);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(HealthEndpoint).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(address, o.Port ?? 0));
        builder.Services.AddRoutingCore();
        // The worker's checks, run by the worker's health service.
        builder.Services.AddSingleton(health);
        builder.Logging.AddProvider(new ForwardingLoggerProvider(loggers)).SetMinimumLevel(LogLevel.Warning);

        var app = builder.Build();
        app.MapHealthChecks("/health/live", Answer(HealthServices.LiveTag, degraded: StatusCodes.Status200OK)).WithMetadata(GetOrHead);
        app.MapHealthChecks("/health/ready", Answer(HealthServices.ReadyTag, degraded: StatusCodes.Status503ServiceUnavailable)).WithMetadata(GetOrHead);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new InvalidOperationException($"Health:Port {o.Port} on {address} cannot be used: {e.Message}", e);
        }
        _app = app;
        BaseAddress = new Uri(app.Urls.First());
        _logger.LogInformation("Health endpoints listening on {HealthAddress}/health/live and /health/ready", BaseAddress.ToString().TrimEnd('/'));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
            await _app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
    }

    private static readonly Microsoft.AspNetCore.Routing.HttpMethodMetadata GetOrHead = new([HttpMethods.Get, HttpMethods.Head]);

    private static HealthCheckOptions Answer(string tag, int degraded) => new()
    {
        Predicate = check => check.Tags.Contains(tag),
        ResultStatusCodes =
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = degraded,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        },
        // The writer sets its own Cache-Control (no-store) rather than the middleware's three no-cache headers.
        AllowCachingResponses = true,
        ResponseWriter = HealthReportJson.WriteAsync,
    };

    /// <summary>Kestrel's warnings go to the worker's own log providers.</summary>
    private sealed class ForwardingLoggerProvider(ILoggerFactory target) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => target.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}
