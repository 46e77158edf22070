using RegistryCleaner.Worker.Registries.Http;

namespace RegistryCleaner.Worker.Registries.Oci;

/// <summary>
/// Follows the redirects an OCI registry gives for blob reads (to its storage: S3, GCS, a CDN), and only those: a GET or
/// HEAD of <c>/v2/…/blobs/{digest}</c>, at most three hops, never from https to http, and without the request's
/// credentials (a pre-signed storage URL carries its own). Every other redirect reaches the client as it came and is
/// reported as a failure: a redirected DELETE whose target answers 200 must never pass for a deletion, and no credential
/// travels to another host.
/// </summary>
public sealed class OciBlobRedirects : DelegatingHandler
{
    private const int MaxHops = 3;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var response = await base.SendAsync(request, ct);
        if (!IsBlobRead(request))
            return response;
        for (var hop = 0; hop < MaxHops && Target(request.RequestUri!, response) is { } target; hop++)
        {
            var next = new HttpRequestMessage(request.Method, target);
            foreach (var accept in request.Headers.Accept)
                next.Headers.Accept.Add(accept);
            response.Dispose();
            response = await base.SendAsync(next, ct);
            request = next;
            // Storage's challenge is not the registry's: answered, it would send the registry's credentials there.
            response.Headers.WwwAuthenticate.Clear();
        }
        return response;
    }

    private static bool IsBlobRead(HttpRequestMessage request) =>
        (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head)
        && request.RequestUri is { Segments: [.., "blobs/", var digest] } && digest.Contains(':', StringComparison.Ordinal);

    private static Uri? Target(Uri from, HttpResponseMessage response)
    {
        if (!RegistryRedirect.Is(response) || response.Headers.Location is not { } location)
            return null;
        var target = location.IsAbsoluteUri ? location : new Uri(from, location);
        var downgrade = from.Scheme == Uri.UriSchemeHttps && target.Scheme != Uri.UriSchemeHttps;
        return downgrade || target.Scheme is not ("http" or "https") ? null : target;
    }
}
