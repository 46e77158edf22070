using System.Net;

namespace RegistryCleaner.Worker.Tests.Resilience;

/// <summary>
/// A registry double that is up or down (503) at the flip of a switch, or fails the first request for every n-th path it
/// is asked about (so that one operation in n needs exactly one retry); counts what it is sent.
/// </summary>
public sealed class FlakyRegistry : HttpMessageHandler, IHttpClientFactory
{
    private readonly Dictionary<string, int> _paths = new();
    private int _requests;

    public volatile bool Down;

    /// <summary>When above zero, the first request for every path whose order of first appearance is a multiple of it answers 503.</summary>
    public int FailFirstOfEvery { get; init; }

    public int Requests => Volatile.Read(ref _requests);

    public HttpClient CreateClient(string name) => new(this, disposeHandler: false) { BaseAddress = new Uri("http://registry.test/") };

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        bool firstOfNth;
        lock (_paths)
        {
            var path = request.RequestUri!.AbsolutePath;
            firstOfNth = !_paths.ContainsKey(path) && (_paths[path] = _paths.Count + 1) % Math.Max(FailFirstOfEvery, 1) == 0;
        }
        var failing = Down || (FailFirstOfEvery > 0 && firstOfNth);
        return Task.FromResult(new HttpResponseMessage(failing ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK));
    }
}
