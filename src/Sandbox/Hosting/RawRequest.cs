using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace RegistryCleaner.Sandbox;

/// <summary>The request line exactly as received: percent-encoding kept, nothing normalised.</summary>
internal sealed class RawRequest
{
    private Dictionary<string, StringValues>? _queryValues;

    private RawRequest(string method, string rawTarget)
    {
        Method = method;
        RawTarget = rawTarget;
        var question = rawTarget.IndexOf('?', StringComparison.Ordinal);
        (RawPath, Query) = question < 0 ? (rawTarget, "") : (rawTarget[..question], rawTarget[(question + 1)..]);
    }

    public string Method { get; }
    public string RawTarget { get; }
    public string RawPath { get; }
    public string Query { get; }

    public bool IsHead => HttpMethods.IsHead(Method);

    public static RawRequest From(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target))
            target = context.Request.Path.Value + context.Request.QueryString.Value;
        else if (!target.StartsWith('/') && Uri.TryCreate(target, UriKind.Absolute, out var absolute))
            target = absolute.PathAndQuery;
        return new RawRequest(context.Request.Method, target);
    }

    /// <summary>The raw path split on '/', each segment still percent-encoded; the first element is empty.</summary>
    public string[] RawSegments() => RawPath.Split('/');

    public static string Decode(string rawSegment) => Uri.UnescapeDataString(rawSegment);

    public string? QueryValue(string name)
    {
        _queryValues ??= QueryHelpers.ParseQuery(Query);
        return _queryValues.TryGetValue(name, out var values) ? values[0] : null;
    }

    public StringValues QueryValues(string name)
    {
        _queryValues ??= QueryHelpers.ParseQuery(Query);
        return _queryValues.TryGetValue(name, out var values) ? values : StringValues.Empty;
    }
}
