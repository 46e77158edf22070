namespace RegistryCleaner.Worker.Registries.Http;

/// <summary>Adds credentials to each attempt, and gets one chance to refresh them after a 401.</summary>
public interface IRequestAuthenticator
{
    ValueTask ApplyAsync(HttpRequestMessage request, CancellationToken ct);

    /// <summary>True when credentials were refreshed and the request is worth sending once more.</summary>
    ValueTask<bool> RefreshAfterUnauthorizedAsync(HttpResponseMessage response, CancellationToken ct);
}

public sealed class NoAuthentication : IRequestAuthenticator
{
    public static readonly NoAuthentication Instance = new();

    public ValueTask ApplyAsync(HttpRequestMessage request, CancellationToken ct) => ValueTask.CompletedTask;

    public ValueTask<bool> RefreshAfterUnauthorizedAsync(HttpResponseMessage response, CancellationToken ct) => ValueTask.FromResult(false);
}
