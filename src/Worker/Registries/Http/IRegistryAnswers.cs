namespace RegistryCleaner.Worker.Registries.Http;

/// <summary>
/// How one registry kind's API answers: which codes are a success, its error body, when a 404 is the API's own
/// "not there" (and not a gateway's or a proxy's, which says nothing about the registry's contents), and the failure
/// a person can act on.
/// </summary>
public interface IRegistryAnswers<TError> where TError : class
{
    bool IsSuccess(HttpResponseMessage response);

    Task<TError?> ReadErrorAsync(HttpResponseMessage response, CancellationToken ct);

    bool IsApiNotFound(HttpResponseMessage response, TError? error);

    RegistryFailureException Failure(string action, HttpResponseMessage response, TError? error);
}
