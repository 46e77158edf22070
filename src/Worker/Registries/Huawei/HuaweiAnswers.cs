using System.Net;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Registries.Http;
using RegistryCleaner.Worker.Registries.Http.Signing;

namespace RegistryCleaner.Worker.Registries.Huawei;

/// <summary>Classifies final SWR and IMS answers; a failure names what a person should check.</summary>
public sealed class HuaweiAnswers(string registry, string service, SecretScrubber scrubber) : IRegistryAnswers<HuaweiError>
{
    bool IRegistryAnswers<HuaweiError>.IsSuccess(HttpResponseMessage response) => IsSuccess(response);

    Task<HuaweiError?> IRegistryAnswers<HuaweiError>.ReadErrorAsync(HttpResponseMessage response, CancellationToken ct) => HuaweiError.ReadAsync(response, ct);

    bool IRegistryAnswers<HuaweiError>.IsApiNotFound(HttpResponseMessage response, HuaweiError? error) => IsApiNotFound(response, error);

    public static bool IsSuccess(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted or HttpStatusCode.NoContent;

    /// <summary>A 404 means "not there" only when the service itself says so; the gateway's APIGW.0101 means a wrong endpoint.</summary>
    public static bool IsApiNotFound(HttpResponseMessage response, HuaweiError? error) =>
        response.StatusCode == HttpStatusCode.NotFound && error is { IsRouteNotFound: false };

    public RegistryFailureException Failure(string action, HttpResponseMessage response, HuaweiError? error)
    {
        var status = (int)response.StatusCode;
        var said = error is null ? $"HTTP {status}" : $"HTTP {status}, {scrubber.Scrub(error.ToString())}";
        var endpoint = $"Registries:{registry}:Endpoint";
        return response.StatusCode switch
        {
            _ when RegistryRedirect.Is(response) => RegistryRedirect.Failure(registry, action, response),
            HttpStatusCode.NotFound when error is { IsRouteNotFound: true } => new(FailureKind.Misconfigured, status,
                $"Registry '{registry}' answered {action} with 404 {HuaweiError.RouteNotFound}: the API route does not exist. Nothing is assumed deleted; check {endpoint}."),
            HttpStatusCode.NotFound => new(FailureKind.Misconfigured, status,
                $"Registry '{registry}' answered {action} with 404 but no {service} error body: the API route does not exist or a proxy answered. Nothing is assumed deleted; check {endpoint}."),
            HttpStatusCode.Unauthorized => new(FailureKind.Unauthorized, status,
                $"Registry '{registry}' refused the credentials for {action} ({said}); check Registries:{registry}:AccessKey and SecretKey, or Token (IAM tokens expire), and that this machine's clock is within 15 minutes of UTC."),
            HttpStatusCode.Forbidden => new(FailureKind.Forbidden, status,
                $"Registry '{registry}' forbids {action} ({said}); the IAM user needs {service} delete permission there."),
            HttpStatusCode.BadRequest => new(FailureKind.RegistryError, status,
                $"Registry '{registry}' rejected {action} as a bad request ({said})."),
            _ => new(FailureKind.RegistryError, status, $"Registry '{registry}' refused {action} ({said})."),
        };
    }
}
