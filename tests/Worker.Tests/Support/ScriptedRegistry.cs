using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace RegistryCleaner.Worker.Tests.Support;

/// <summary>
/// A registry double for harness specs: answers each request with the next scripted answer for its method and path
/// (the last one repeats), and records every request with the time it arrived.
/// </summary>
public sealed class ScriptedRegistry : HttpMessageHandler
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>>> _scripts = new();
    private readonly ConcurrentDictionary<string, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>> _last = new();

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public ScriptedRegistry On(HttpMethod method, string path, params Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>[] answers)
    {
        var queue = _scripts.GetOrAdd(Key(method, path), _ => new());
        foreach (var answer in answers)
            queue.Enqueue(answer);
        return this;
    }

    public int Count(HttpMethod method, string path) => Requests.Count(r => r.Method == method && r.Path == path);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var path = request.RequestUri!.AbsolutePath;
        Requests.Enqueue(new RecordedRequest(request.Method, path, request.Headers.Authorization?.ToString(), DateTimeOffset.UtcNow));
        var key = Key(request.Method, path);
        Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>? answer = null;
        if (_scripts.TryGetValue(key, out var queue) && queue.TryDequeue(out var next))
            _last[key] = answer = next;
        else
            _last.TryGetValue(key, out answer);
        if (answer is null)
            return new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("<html>no such route</html>") };
        var response = await answer(request, ct);
        response.RequestMessage = request;
        return response;
    }

    private static string Key(HttpMethod method, string path) => $"{method} {path}";

    public static Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Status(HttpStatusCode status, string? body = null, Action<HttpResponseMessage>? configure = null) => (_, _) =>
    {
        var response = new HttpResponseMessage(status);
        if (body is not null)
            response.Content = new StringContent(body, Encoding.UTF8, "application/json");
        configure?.Invoke(response);
        return Task.FromResult(response);
    };

    public static Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> OciError(HttpStatusCode status, string code) =>
        Status(status, $$"""{"errors":[{"code":"{{code}}","message":"{{code.ToLowerInvariant()}}"}]}""");

    public static Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Throws(Exception exception) => (_, _) => Task.FromException<HttpResponseMessage>(exception);

    public static Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Hangs() => async (_, ct) =>
    {
        await Task.Delay(TimeSpan.FromSeconds(30), ct);
        return new HttpResponseMessage(HttpStatusCode.Accepted);
    };
}

public sealed record RecordedRequest(HttpMethod Method, string Path, string? Authorization, DateTimeOffset At);
