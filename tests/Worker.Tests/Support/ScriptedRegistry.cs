using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace RegistryCleaner.Worker.Tests.Support;

/// <summary>
/// A registry double for harness specs: answers each request with the next scripted answer for its method and path
/// (the last one repeats), and records every request with the time it arrived. A manifest GET nothing scripted answers
/// with <see cref="AnyManifest"/>: every tag exists (the OCI client reads what a tag points at before deleting it).
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
        if (answer is null && request.Method == HttpMethod.Get && path.Contains("/manifests/", StringComparison.Ordinal))
            answer = AnyManifest;
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

    public const string AnyManifestDigest = "sha256:4f1e2b6c0a9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f";

    /// <summary>A small image manifest, as distribution answers a manifest GET.</summary>
    public static readonly Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> AnyManifest =
        Status(HttpStatusCode.OK, """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}""",
            r =>
            {
                r.Content!.Headers.ContentType = new("application/vnd.oci.image.manifest.v1+json");
                r.Headers.Add("Docker-Content-Digest", AnyManifestDigest);
            });

    public static Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> OciError(HttpStatusCode status, string code) =>
        Status(status, $$"""{"errors":[{"code":"{{code}}","message":"{{code.ToLowerInvariant()}}"}]}""");

    public static Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Throws(Exception exception) => (_, _) => Task.FromException<HttpResponseMessage>(exception);

    /// <summary>Never answers: only the client's own attempt timeout ends the request (the test's wait for its result bounds it).</summary>
    public static Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Hangs() => async (_, ct) =>
    {
        await Task.Delay(Timeout.InfiniteTimeSpan, ct);
        throw new InvalidOperationException("unreachable: the delay ends only by cancellation");
    };

    /// <summary>
    /// Sends the headers of <paramref name="status"/> and then nothing of the body, as a stalled registry or a half-open
    /// connection does: only the client's own attempt timeout ends the read.
    /// </summary>
    public static Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> StallsBody(HttpStatusCode status = HttpStatusCode.OK) => (_, _) =>
        Task.FromResult(new HttpResponseMessage(status) { Content = new StreamContent(new StalledStream()) { Headers = { ContentType = new("application/json") } } });
}

/// <summary>A response body that never ends: every read waits until its token is cancelled.</summary>
public sealed class StalledStream : Stream
{
    private int _reads;

    /// <summary>How many reads have started.</summary>
    public int Reads => Volatile.Read(ref _reads);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        throw new InvalidOperationException("unreachable: the delay ends only by cancellation");
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>A blocking read could never be cancelled: the client must read asynchronously.</summary>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("A stalled body is read asynchronously only.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

public sealed record RecordedRequest(HttpMethod Method, string Path, string? Authorization, DateTimeOffset At);
