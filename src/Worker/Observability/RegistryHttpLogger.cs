using System.Net.Sockets;
using Microsoft.Extensions.Http.Logging;
using Microsoft.Extensions.Logging;
using Polly.Timeout;

namespace RegistryCleaner.Worker.Observability;

/// <summary>
/// One Debug line per HTTP request the worker sends: method, URL without query or user info, status and time, and
/// never a header. It replaces HttpClientFactory's default loggers: their Trace-level header lines print "*" for
/// each value in the text, yet hand the raw values (Authorization, X-Auth-Token) to structured sinks in their state.
/// </summary>
public sealed class RegistryHttpLogger(ILogger<RegistryHttpLogger> logger) : IHttpClientLogger
{
    private static readonly Action<ILogger, string, string, int, long, Exception?> Answered = LoggerMessage.Define<string, string, int, long>(
        LogLevel.Debug, new EventId(1, "HttpAnswered"), "HTTP {HttpMethod} {Uri} answered {StatusCode} in {ElapsedMs} ms");

    private static readonly Action<ILogger, string, string, long, string, Exception?> Failed = LoggerMessage.Define<string, string, long, string>(
        LogLevel.Debug, new EventId(2, "HttpFailed"), "HTTP {HttpMethod} {Uri} got no answer after {ElapsedMs} ms: {Error}");

    public object? LogRequestStart(HttpRequestMessage request) => null;

    public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed) =>
        Answered(logger, request.Method.Method, Display(request.RequestUri), (int)response.StatusCode, (long)elapsed.TotalMilliseconds, null);

    /// <summary>The exception itself is left out: only its kind is logged.</summary>
    public void LogRequestFailed(object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed) =>
        Failed(logger, request.Method.Method, Display(request.RequestUri), (long)elapsed.TotalMilliseconds, Describe(exception), null);

    public static string Display(Uri? uri) => uri is { IsAbsoluteUri: true }
        ? uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)
        : "(relative)";

    private static string Describe(Exception e) => e switch
    {
        HttpRequestException { HttpRequestError: var error, InnerException: SocketException { SocketErrorCode: var socket } } => $"{error} ({socket})",
        HttpRequestException { HttpRequestError: var error } => error.ToString(),
        OperationCanceledException or TimeoutRejectedException => "cancelled (attempt timeout or shutdown)",
        _ => e.GetType().Name,
    };
}
