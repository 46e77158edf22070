using System.Net;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Registries.Http;
using RegistryCleaner.Worker.Registries.Http.Signing;

namespace RegistryCleaner.Worker.Registries.Ncr;

/// <summary>Classifies final NCR answers; a failure names what a person should check.</summary>
public sealed class NcrAnswers(string registry, SecretScrubber scrubber) : IRegistryAnswers<NcrError>
{
    bool IRegistryAnswers<NcrError>.IsSuccess(HttpResponseMessage response) => IsSuccess(response);

    Task<NcrError?> IRegistryAnswers<NcrError>.ReadErrorAsync(HttpResponseMessage response, CancellationToken ct) => NcrError.ReadAsync(response, ct);

    bool IRegistryAnswers<NcrError>.IsApiNotFound(HttpResponseMessage response, NcrError? error) => IsApiNotFound(response, error);

    public static bool IsSuccess(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted or HttpStatusCode.NoContent;

    /// <summary>NCR answers 409 while the registry is busy or briefly read-only; that passes, like 429 and 5xx.</summary>
    public static bool IsTransient(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Conflict || TransientAnswers.IsTransient(response);

    /// <summary>A 404 means "not there" only in the registry API's own error body, not in the gateway's.</summary>
    public static bool IsApiNotFound(HttpResponseMessage response, NcrError? error) =>
        response.StatusCode == HttpStatusCode.NotFound && error is { FromGateway: false };

    public RegistryFailureException Failure(string action, HttpResponseMessage response, NcrError? error)
    {
        var status = (int)response.StatusCode;
        var said = error is null ? $"HTTP {status}" : $"HTTP {status}, {scrubber.Scrub(error.ToString())}";
        return response.StatusCode switch
        {
            _ when RegistryRedirect.Is(response) => RegistryRedirect.Failure(registry, action, response),
            HttpStatusCode.NotFound => new(FailureKind.Misconfigured, status,
                $"Registry '{registry}' answered {action} with 404 that did not come from the NCR API ({said}): the API route does not exist. Nothing is assumed deleted; check Registries:{registry}:Endpoint (for example https://ncr.apigw.ntruss.com/ncr/api/v2)."),
            HttpStatusCode.Unauthorized => new(FailureKind.Unauthorized, status,
                $"Registry '{registry}' refused the credentials for {action} ({said}), also after signing again; check Registries:{registry}:AccessKey and SecretKey, and that this machine's clock is within 5 minutes of UTC."),
            HttpStatusCode.Forbidden => new(FailureKind.Forbidden, status,
                $"Registry '{registry}' forbids {action} ({said}); the sub account needs Container Registry delete permission."),
            HttpStatusCode.BadRequest => new(FailureKind.RegistryError, status,
                $"Registry '{registry}' rejected {action} as a bad request ({said})."),
            _ => new(FailureKind.RegistryError, status, $"Registry '{registry}' refused {action} ({said})."),
        };
    }
}
