using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RegistryCleaner.Sandbox;

/// <summary>A Kestrel listener on 127.0.0.1 serving one emulated registry at its root.</summary>
internal sealed class RegistryHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RegistryApi _api;
    private readonly FaultInjector _faults;
    private readonly RequestLog _log;
    private readonly TimeProvider _time;

    private RegistryHost(WebApplication app, RegistryApi api, FaultInjector faults, RequestLog log, TimeProvider time)
    {
        _app = app;
        _api = api;
        _faults = faults;
        _log = log;
        _time = time;
    }

    public Uri Root { get; private set; } = null!;

    public Uri Endpoint => new(Root, _api.BasePath);

    public static async Task<RegistryHost> StartAsync(RegistryApi api, FaultInjector faults, RequestLog log, TimeProvider time, CancellationToken ct)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(RegistryHost).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
        {
            options.AddServerHeader = false;
            options.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
            options.Listen(IPAddress.Loopback, 0);
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddConsole();

        var app = builder.Build();
        var host = new RegistryHost(app, api, faults, log, time);
        app.Run(host.HandleAsync);
        await app.StartAsync(ct);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host.Root = new Uri(new Uri(address).GetLeftPart(UriPartial.Authority) + "/");
        return host;
    }

    private static readonly string[] CredentialHeaders = ["Authorization", "X-Auth-Token", NcrSignature.AccessKeyHeader];

    private async Task HandleAsync(HttpContext context)
    {
        var request = RawRequest.From(context);
        var at = _time.GetUtcNow();
        var status = 0;
        try
        {
            var decision = _faults.Decide(_api.Store.Name, request.Method, request.RawPath);
            if (decision.Delay > TimeSpan.Zero) await DelayAsync(context, decision.Delay);

            switch (decision.Kind)
            {
                case FaultKind.Drop:
                    context.Abort();
                    return;
                case FaultKind.GatewayNotFound:
                    await HuaweiGateway.WriteNotFoundAsync(context);
                    break;
                case FaultKind.Redirect:
                    context.Response.StatusCode = decision.Status;
                    context.Response.Headers.Location = decision.RedirectTo;
                    break;
                case FaultKind.Status:
                    Respond.RetryAfter(context, decision.Status, decision.RetryAfterSeconds);
                    await (decision.ErrorCode is { } code
                        ? _api.WriteFaultAsync(context, request, decision.Status, code)
                        : _api.WriteFaultAsync(context, request, decision.Status));
                    break;
                default:
                    await _api.HandleAsync(context, request);
                    break;
            }
            status = context.Response.StatusCode;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || _app.Lifetime.ApplicationStopping.IsCancellationRequested)
        {
            status = 0;
            context.Abort();
        }
        catch
        {
            status = StatusCodes.Status500InternalServerError;
            throw;
        }
        finally
        {
            _log.Add(new RequestRecord(_api.Store.Name, request.Method, request.RawPath, request.Query, status, at)
            {
                CarriedCredentials = CredentialHeaders.Any(context.Request.Headers.ContainsKey),
            });
        }
    }

    /// <summary>Injected latency ends early when the client goes away or the sandbox stops.</summary>
    private async Task DelayAsync(HttpContext context, TimeSpan delay)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _app.Lifetime.ApplicationStopping);
        await Task.Delay(delay, _time, cancel.Token);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }
}
