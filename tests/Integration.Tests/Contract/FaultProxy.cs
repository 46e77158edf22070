using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RegistryCleaner.Integration.Tests.Contract;

/// <summary>
/// A pass-through proxy in front of the real registry that can answer a DELETE with a scripted transient status
/// instead, the way a busy registry or its load balancer would. Everything else reaches the registry unchanged.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase) { "Transfer-Encoding", "Connection", "Keep-Alive", "Host" };
    private readonly WebApplication _app;
    private readonly HttpClient _upstream = new();
    private readonly ConcurrentQueue<int> _next = new();
    private readonly TaskCompletionSource<HttpRequest> _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile int _always;
    private int _requests;

    private FaultProxy(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;
    public int Requests => Volatile.Read(ref _requests);

    public static async Task<FaultProxy> StartAsync(Uri upstream)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var proxy = new FaultProxy(app);
        app.Run(context => proxy.HandleAsync(context, upstream));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        proxy.Address = new Uri(address);
        return proxy;
    }

    public void FailNextDeletes(params int[] statuses)
    {
        foreach (var status in statuses)
            _next.Enqueue(status);
    }

    public void FailEveryDelete(int status) => _always = status;

    /// <summary>Runs before a request is passed on, for a test that acts on the registry at that exact moment.</summary>
    public Func<HttpRequest, Task>? BeforeForward { get; set; }

    /// <summary>
    /// A request this matches is never passed on: it is held until its client goes away, for a test that kills the client
    /// at that exact moment (<see cref="Held"/> completes with the first one held).
    /// </summary>
    public Func<HttpRequest, Task<bool>>? Hold { get; set; }

    public Task<HttpRequest> Held => _held.Task;

    private async Task HandleAsync(HttpContext context, Uri upstream)
    {
        Interlocked.Increment(ref _requests);
        if (context.Request.Method == "DELETE" && (_always != 0 || _next.TryDequeue(out _)))
        {
            context.Response.StatusCode = _always != 0 ? _always : 503;
            await context.Response.WriteAsync("""{"errors":[{"code":"UNAVAILABLE","message":"try again"}]}""");
            return;
        }
        if (BeforeForward is { } hook)
            await hook(context.Request);
        if (Hold is { } hold && await hold(context.Request))
        {
            _held.TrySetResult(context.Request);
            var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using (context.RequestAborted.Register(() => aborted.TrySetResult()))
                await aborted.Task;
            return;
        }
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(upstream, context.Request.Path + context.Request.QueryString));
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
            request.Content = new StreamContent(context.Request.Body);
        foreach (var (name, values) in context.Request.Headers)
        {
            if (HopByHop.Contains(name))
                continue;
            if (!request.Headers.TryAddWithoutValidation(name, values.ToArray()))
                request.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
        }
        using var response = await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopByHop.Contains(name))
                context.Response.Headers[name] = values.ToArray();
        }
        await response.Content.CopyToAsync(context.Response.Body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
