using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using RegistryCleaner.Worker.Registries.Http;

namespace RegistryCleaner.Worker.Tests.Registries;

/// <summary>
/// A deterministic gate in a worker client's HTTP pipeline: matching requests wait until <see cref="Release"/>, and
/// <see cref="Answer"/> may replace the registry's answer to a matching request after the registry applied it.
/// </summary>
public sealed class HeldRequests(Func<HttpRequestMessage, bool> match)
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;

    private Func<HttpRequestMessage, bool> Match { get; } = match;

    /// <summary>How many matching requests have reached the gate.</summary>
    public int Arrived => Volatile.Read(ref _arrived);

    /// <summary>Replaces the answer the client sees (the registry still handled the request); null keeps it.</summary>
    public Func<HttpRequestMessage, HttpResponseMessage, HttpResponseMessage?>? Answer { get; set; }

    public bool Holding { get; set; } = true;

    public void Release() => _released.TrySetResult();

    public void AddTo(IServiceCollection services, string registry) =>
        services.Configure<HttpClientFactoryOptions>(RegistryHttp.ClientName(registry),
            o => o.HttpMessageHandlerBuilderActions.Add(b => b.AdditionalHandlers.Add(new Handler(this))));

    private sealed class Handler(HeldRequests held) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!held.Match(request))
                return await base.SendAsync(request, cancellationToken);
            Interlocked.Increment(ref held._arrived);
            if (held.Holding)
                await held._released.Task.WaitAsync(cancellationToken);
            var response = await base.SendAsync(request, cancellationToken);
            if (held.Answer?.Invoke(request, response) is { } replaced)
            {
                response.Dispose();
                return replaced;
            }
            return response;
        }
    }
}
