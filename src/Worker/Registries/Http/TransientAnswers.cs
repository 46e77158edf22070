using System.Net;

namespace RegistryCleaner.Worker.Registries.Http;

/// <summary>Answers worth another attempt: 408, 429, and server errors other than 501 and 505.</summary>
public static class TransientAnswers
{
    public static bool IsTransient(HttpResponseMessage response) => IsTransient(response.StatusCode);

    public static bool IsTransient(HttpStatusCode status) => status switch
    {
        HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests => true,
        HttpStatusCode.NotImplemented or HttpStatusCode.HttpVersionNotSupported => false,
        _ => (int)status >= 500 && (int)status <= 599,
    };
}
