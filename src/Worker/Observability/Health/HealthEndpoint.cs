using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RegistryCleaner.Worker.Observability.Health;

/// <summary>
/// A small Kestrel listener beside the worker serving <c>/health/live</c> and <c>/health/ready</c>: 200 or 503 with
/// a JSON body naming each check. Ready means every readiness check is healthy; live means none is unhealthy.
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
        builder.Logging.AddProvider(new ForwardingLoggerProvider(loggers)).SetMinimumLevel(LogLevel.Warning);

        var app = builder.Build();
        app.MapMethods("/health/live", ["GET", "HEAD"], context => RespondAsync(context, HealthServices.LiveTag, s => s != HealthStatus.Unhealthy));
        app.MapMethods("/health/ready", ["GET", "HEAD"], context => RespondAsync(context, HealthServices.ReadyTag, s => s == HealthStatus.Healthy));
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

    private async Task RespondAsync(HttpContext context, string tag, Func<HealthStatus, bool> passes)
    {
        var report = await health.CheckHealthAsync(r => r.Tags.Contains(tag), context.RequestAborted);
        context.Response.StatusCode = passes(report.Status) ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        if (!HttpMethods.IsHead(context.Request.Method))
            await HealthReportJson.WriteAsync(context.Response.Body, report, context.RequestAborted);
    }

    /// <summary>Kestrel's warnings go to the worker's own log providers.</summary>
    private sealed class ForwardingLoggerProvider(ILoggerFactory target) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => target.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}
