using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RegistryCleaner.Worker.Observability;

/// <summary>
/// Times every request a registry's HttpClient sends (each retry and token fetch included), by registry and status
/// class, and marks the request so its HTTP span can name the registry too.
/// </summary>
public sealed class RegistryRequestMetrics(string registry, string kind) : DelegatingHandler
{
    public static readonly HttpRequestOptionsKey<string> RegistryOption = new("registry-cleaner.registry");

    /// <summary>Set on a request that is not work (a health ping), to leave it out of the duration histogram.</summary>
    public static readonly HttpRequestOptionsKey<bool> Unmetered = new("registry-cleaner.unmetered");

    private static readonly Histogram<double> Duration = WorkerDiagnostics.Meter.CreateHistogram(
        "registry_cleaner.registry.request.duration", "s", "Time until a registry answered one HTTP request (headers received).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30] });

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Options.Set(RegistryOption, registry);
        if (request.Options.TryGetValue(Unmetered, out var unmetered) && unmetered)
            return await base.SendAsync(request, cancellationToken);
        var startedAt = Stopwatch.GetTimestamp();
        var statusClass = "error";
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            statusClass = StatusClass((int)response.StatusCode);
            return response;
        }
        catch (OperationCanceledException)
        {
            // The attempt timeout and shutdown both cancel the token; the retry pipeline tells them apart, not this handler.
            statusClass = "canceled";
            throw;
        }
        finally
        {
            Duration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, new TagList
            {
                { TagNames.Registry, registry },
                { TagNames.RegistryKind, kind },
                { TagNames.Method, Method(request.Method) },
                { TagNames.StatusClass, statusClass },
            });
        }
    }

    public static string StatusClass(int status) => status switch
    {
        >= 100 and < 200 => "1xx",
        >= 200 and < 300 => "2xx",
        >= 300 and < 400 => "3xx",
        >= 400 and < 500 => "4xx",
        >= 500 and < 600 => "5xx",
        _ => "other",
    };

    private static string Method(HttpMethod method) => method.Method switch
    {
        "GET" or "HEAD" or "PUT" or "POST" or "DELETE" or "PATCH" => method.Method,
        _ => "_OTHER",
    };
}
