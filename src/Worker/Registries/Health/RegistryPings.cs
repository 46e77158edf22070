using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using RegistryCleaner.Worker.Observability;
using RegistryCleaner.Worker.Observability.Health;
using RegistryCleaner.Worker.Registries.Http;

namespace RegistryCleaner.Worker.Registries.Health;

/// <summary>
/// Whether each configured registry answers, asked without credentials through the registry's own HttpClient (same
/// connections and settings as the real work) and remembered for a few seconds, so that probes every second cost the
/// registry one request per cache period. Concurrent probes share one request.
/// </summary>
public sealed class RegistryPings(IOptions<RegistriesOptions> registries, IOptions<HealthOptions> options, IHttpClientFactory clients, TimeProvider time)
{
    private readonly Dictionary<string, Ping> _pings = registries.Value.Registries.ToDictionary(
        r => r.Key, r => new Ping(r.Key, r.Value), StringComparer.OrdinalIgnoreCase);

    public async Task<HealthCheckResult> CheckAsync(string registry, CancellationToken ct)
    {
        if (!_pings.TryGetValue(registry, out var ping))
            return HealthCheckResult.Unhealthy($"Registry '{registry}' is not configured.");
        Task<HealthCheckResult> answer;
        lock (ping)
        {
            var fresh = ping.Answer is { IsCompleted: true } && time.GetUtcNow() - ping.AnsweredAt < options.Value.RegistryPingCache;
            if (!fresh && ping.Answer is not { IsCompleted: false })
                ping.Answer = Task.Run(() => SendAsync(ping), CancellationToken.None);
            answer = ping.Answer!;
        }
        return await answer.WaitAsync(ct);
    }

    private async Task<HealthCheckResult> SendAsync(Ping ping)
    {
        // Probes are not work: keep them out of the traces and the registry request metrics.
        using var untraced = SuppressInstrumentationScope.Begin();
        var timeout = options.Value.RegistryPingTimeout;
        using var cancel = new CancellationTokenSource(timeout);
        var startedAt = Stopwatch.GetTimestamp();
        HealthCheckResult result;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, ping.Uri);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            request.Options.Set(RegistryRequestMetrics.Unmetered, true);
            using var response = await clients.CreateClient(RegistryHttp.ClientName(ping.Name)).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
            result = Judge(ping, (int)response.StatusCode, Stopwatch.GetElapsedTime(startedAt));
        }
        catch (OperationCanceledException)
        {
            result = HealthCheckResult.Unhealthy($"{ping.KindName} registry gave no answer within {timeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException e)
        {
            result = HealthCheckResult.Unhealthy($"{ping.KindName} registry cannot be reached ({e.HttpRequestError}).");
        }
        lock (ping)
            ping.AnsweredAt = time.GetUtcNow();
        return result;
    }

    private static HealthCheckResult Judge(Ping ping, int status, TimeSpan elapsed)
    {
        var answered = $"{ping.KindName} registry answered {status} in {elapsed.TotalMilliseconds:0} ms";
        if (status >= 500)
            return HealthCheckResult.Unhealthy(answered + ".");
        // An OCI registry answers its base route with 200, or 401 when it wants credentials; anything else is not one.
        if (ping.Kind == RegistryKind.Oci && status is not (200 or 401))
            return HealthCheckResult.Unhealthy(answered + " to GET /v2/: this endpoint does not serve the OCI distribution API.");
        return HealthCheckResult.Healthy(answered + ".");
    }

    private sealed class Ping(string name, RegistryOptions options)
    {
        public string Name { get; } = name;
        public RegistryKind Kind { get; } = options.Kind ?? RegistryKind.Oci;
        public string KindName => Kind.ToString().ToUpperInvariant();
        public Uri Uri { get; } = PingUri(options);
        public Task<HealthCheckResult>? Answer { get; set; }
        public DateTimeOffset AnsweredAt { get; set; }

        /// <summary>OCI: the API's base route. SWR, IMS, NCR: the configured endpoint itself, where any non-5xx answer shows the gateway is up.</summary>
        private static Uri PingUri(RegistryOptions options)
        {
            var endpoint = new Uri(options.Endpoint!);
            var withSlash = BaseUri.Of(endpoint);
            return options.Kind == RegistryKind.Oci ? new Uri(withSlash, "v2/") : withSlash;
        }
    }
}
