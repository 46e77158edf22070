namespace RegistryCleaner.Worker.Registries.Http;

public static class BaseUri
{
    /// <summary>The endpoint with a trailing slash, so relative paths keep its path prefix instead of replacing its last segment.</summary>
    public static Uri Of(Uri endpoint) => endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
}
