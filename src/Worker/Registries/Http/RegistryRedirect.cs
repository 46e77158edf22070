using System.Net;
using RegistryCleaner.Contracts;

namespace RegistryCleaner.Worker.Registries.Http;

/// <summary>
/// A registry's redirect is not followed (only an OCI blob read's is, see <c>OciBlobRedirects</c>): what the target
/// answers says nothing about the registry, and the request's credentials must not travel there.
/// </summary>
public static class RegistryRedirect
{
    public static bool Is(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    public static RegistryFailureException Failure(string registry, string action, HttpResponseMessage response) =>
        new(FailureKind.Misconfigured, (int)response.StatusCode,
            $"Registry '{registry}' answered {action} with a redirect (HTTP {(int)response.StatusCode}) to {Where(response)}. Redirects are not followed: "
            + $"nothing is assumed deleted and no credential is sent elsewhere. Point Registries:{registry}:Endpoint at the registry's API itself.");

    /// <summary>Only the scheme, host and port: a storage URL's query may hold a signature, and its user info a password.</summary>
    private static string Where(HttpResponseMessage response) => response.Headers.Location switch
    {
        null => "no location",
        { IsAbsoluteUri: true } location => Host(location),
        _ => "another path of the same host",
    };

    public static string Host(Uri uri) => uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);
}
