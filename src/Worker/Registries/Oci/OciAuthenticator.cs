using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using RegistryCleaner.Worker.Registries.Http;

namespace RegistryCleaner.Worker.Registries.Oci;

/// <summary>
/// Anonymous, Basic, or the Bearer token flow: a 401 challenge names the token realm and scope, a token is fetched
/// (with Basic credentials when configured) and cached per repository until shortly before it expires.
/// </summary>
public sealed partial class OciAuthenticator(IHttpClientFactory clients, string clientName, string? username, string? password) : IRequestAuthenticator
{
    private readonly ConcurrentDictionary<string, CachedToken> _tokens = new(StringComparer.Ordinal);
    private readonly AuthenticationHeaderValue? _basic = string.IsNullOrEmpty(username) ? null
        : new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
    private volatile bool _usesBearer;

    public ValueTask ApplyAsync(HttpRequestMessage request, CancellationToken ct)
    {
        if (_usesBearer && _tokens.TryGetValue(ScopeKey(request.RequestUri), out var token) && token.ExpiresAt > DateTimeOffset.UtcNow)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        else if (_basic is not null && !_usesBearer)
            request.Headers.Authorization = _basic;
        return ValueTask.CompletedTask;
    }

    public async ValueTask<bool> RefreshAfterUnauthorizedAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var challenge = response.Headers.WwwAuthenticate.FirstOrDefault(h => h.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase));
        if (challenge?.Parameter is null)
            return false;
        var parameters = ChallengeParameter().Matches(challenge.Parameter)
            .ToDictionary(m => m.Groups[1].Value.ToLowerInvariant(), m => m.Groups[2].Value);
        if (!parameters.TryGetValue("realm", out var realm) || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri))
            return false;

        var scope = WidenScope(parameters.GetValueOrDefault("scope"));
        var query = new List<string>();
        if (parameters.TryGetValue("service", out var service))
            query.Add("service=" + Uri.EscapeDataString(service));
        if (scope is not null)
            query.Add("scope=" + Uri.EscapeDataString(scope));
        var tokenUri = new UriBuilder(realmUri) { Query = string.Join('&', query) }.Uri;

        using var request = new HttpRequestMessage(HttpMethod.Get, tokenUri);
        if (_basic is not null)
            request.Headers.Authorization = _basic;
        using var answer = await clients.CreateClient(clientName).SendAsync(request, ct);
        if (!answer.IsSuccessStatusCode)
            return false;
        var token = ParseToken(await ResponseBody.ReadLimitedAsync(answer, 256 * 1024, ct));
        if (token is null)
            return false;

        _usesBearer = true;
        _tokens[ScopeKey(response.RequestMessage?.RequestUri)] = token;
        return true;
    }

    /// <summary>Asks for pull, push and delete at once, so the throw-away push and the delete share one token.</summary>
    private static string? WidenScope(string? scope)
    {
        if (scope is null || !scope.StartsWith("repository:", StringComparison.Ordinal))
            return scope;
        var lastColon = scope.LastIndexOf(':');
        return scope[..lastColon] + ":pull,push,delete";
    }

    private static CachedToken? ParseToken(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            var value = root.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()
                : root.TryGetProperty("access_token", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
            if (string.IsNullOrEmpty(value))
                return null;
            var lifetime = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) && seconds > 0 ? seconds : 60;
            return new CachedToken(value, DateTimeOffset.UtcNow.AddSeconds(lifetime * 0.9));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string ScopeKey(Uri? uri)
    {
        var match = uri is null ? null : RepositoryInPath().Match(uri.AbsolutePath);
        return match is { Success: true } ? match.Groups[1].Value : "registry";
    }

    private sealed record CachedToken(string Value, DateTimeOffset ExpiresAt);

    [GeneratedRegex(@"(\w+)=""([^""]*)""")]
    private static partial Regex ChallengeParameter();

    [GeneratedRegex(@"/v2/(.+?)/(?:manifests|blobs|tags)/")]
    private static partial Regex RepositoryInPath();
}
