using System.Net;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Registries.Http;

namespace RegistryCleaner.Worker.Registries.Oci;

/// <summary>Turns a final OCI answer that is not a success into a failure a person can act on.</summary>
public sealed class OciAnswers(string registry) : IRegistryAnswers<OciError>
{
    bool IRegistryAnswers<OciError>.IsSuccess(HttpResponseMessage response) => IsSuccess(response);

    Task<OciError?> IRegistryAnswers<OciError>.ReadErrorAsync(HttpResponseMessage response, CancellationToken ct) => OciError.ReadAsync(response, ct);

    bool IRegistryAnswers<OciError>.IsApiNotFound(HttpResponseMessage response, OciError? error) => IsApiNotFound(response, error);

    RegistryFailureException IRegistryAnswers<OciError>.Failure(string action, HttpResponseMessage response, OciError? error) => Failure(registry, action, response, error);

    public static bool IsSuccess(HttpResponseMessage response) => response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted or HttpStatusCode.NoContent or HttpStatusCode.Created;

    /// <summary>A 404 means "already gone" only when the registry API itself says so in its error body.</summary>
    public static bool IsApiNotFound(HttpResponseMessage response, OciError? error) =>
        response.StatusCode == HttpStatusCode.NotFound && error is { IsNotFound: true };

    public static RegistryFailureException Failure(string registry, string action, HttpResponseMessage response, OciError? error)
    {
        var status = (int)response.StatusCode;
        var said = error is null ? $"HTTP {status}" : $"HTTP {status} ({error})";
        return response.StatusCode switch
        {
            _ when RegistryRedirect.Is(response) => RegistryRedirect.Failure(registry, action, response),
            HttpStatusCode.NotFound => new(FailureKind.Misconfigured, status,
                $"Registry '{registry}' answered {action} with 404 but no OCI error body: the endpoint is probably wrong or a proxy answered. Nothing is assumed deleted; check Registries:{registry}:Endpoint."),
            HttpStatusCode.Unauthorized => new(FailureKind.Unauthorized, status,
                $"Registry '{registry}' refused the credentials for {action} ({said}), also after re-authenticating; check Registries:{registry}:Username and Password."),
            HttpStatusCode.Forbidden => new(FailureKind.Forbidden, status,
                $"Registry '{registry}' forbids {action} ({said}); the account needs delete permission on that repository."),
            HttpStatusCode.MethodNotAllowed => new(FailureKind.NotSupported, status,
                $"Registry '{registry}' does not allow deletion ({said}); enable it on the registry (distribution: storage.delete.enabled=true)."),
            _ => new(FailureKind.RegistryError, status, $"Registry '{registry}' refused {action}: {said}."),
        };
    }
}
