using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace RegistryCleaner.Sandbox;

/// <summary>Basic auth, or the distribution token flow: 401 challenge → GET /token with Basic credentials → Bearer token.</summary>
internal sealed class OciAuth(SeedAuth config)
{
    public const string TokenPath = "/token";
    public const string Service = "sandbox";

    private readonly ConcurrentDictionary<string, IssuedToken> _tokens = new(StringComparer.Ordinal);

    private sealed record IssuedToken(DateTimeOffset Expires, HashSet<string> Grants);

    public bool ServesTokens => config.Mode == AuthMode.Bearer;

    /// <summary>Returns null when the request may proceed, else the WWW-Authenticate challenge to send with a 401.</summary>
    public string? Check(HttpContext context, string? scope)
    {
        switch (config.Mode)
        {
            case AuthMode.None:
                return null;
            case AuthMode.Basic:
                return HasValidBasic(context) ? null : "Basic realm=\"sandbox\"";
        }

        var header = context.Request.Headers.Authorization.ToString();
        var realm = $"http://127.0.0.1:{context.Connection.LocalPort}{TokenPath}";
        var challenge = $"Bearer realm=\"{realm}\",service=\"{Service}\"" + (scope is null ? "" : $",scope=\"{scope}\"");
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return challenge;

        var value = header[7..].Trim();
        if (!_tokens.TryGetValue(value, out var token) || token.Expires <= DateTimeOffset.UtcNow)
        {
            _tokens.TryRemove(value, out _);
            return challenge + ",error=\"invalid_token\"";
        }
        return scope is null || Covers(token.Grants, scope) ? null : challenge + ",error=\"insufficient_scope\"";
    }

    public Task IssueTokenAsync(HttpContext context, RawRequest request)
    {
        if (!HasValidBasic(context))
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"sandbox\"";
            return OciErrors.Write(context, 401, "UNAUTHORIZED", "authentication required");
        }

        var grants = new HashSet<string>(StringComparer.Ordinal);
        foreach (var scopeParam in request.QueryValues("scope"))
            foreach (var scope in (scopeParam ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
                if (TryParseScope(scope, out var resource, out var actions))
                    foreach (var action in actions) grants.Add(resource + ":" + action);

        var now = DateTimeOffset.UtcNow;
        PurgeExpired(now);
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        _tokens[token] = new IssuedToken(now.AddSeconds(config.TokenLifetimeSeconds), grants);
        return Respond.Json(context, 200, new
        {
            token,
            access_token = token,
            expires_in = config.TokenLifetimeSeconds,
            issued_at = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        });
    }

    private bool HasValidBasic(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return false;
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }
        var expected = $"{config.Username}:{config.Password}";
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(decoded), Encoding.UTF8.GetBytes(expected));
    }

    private static bool Covers(HashSet<string> grants, string scope)
    {
        if (!TryParseScope(scope, out var resource, out var actions)) return false;
        return grants.Contains(resource + ":*") || actions.All(a => grants.Contains(resource + ":" + a));
    }

    /// <summary>"repository:team/app:pull,push" → resource "repository:team/app", actions [pull, push].</summary>
    private static bool TryParseScope(string scope, out string resource, out string[] actions)
    {
        var lastColon = scope.LastIndexOf(':');
        var firstColon = scope.IndexOf(':', StringComparison.Ordinal);
        resource = lastColon > firstColon && firstColon > 0 ? scope[..lastColon] : "";
        actions = resource.Length > 0 ? scope[(lastColon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries) : [];
        return actions.Length > 0;
    }

    private void PurgeExpired(DateTimeOffset now)
    {
        if (_tokens.Count < 1024) return;
        foreach (var (key, token) in _tokens)
            if (token.Expires <= now) _tokens.TryRemove(key, out _);
    }
}
