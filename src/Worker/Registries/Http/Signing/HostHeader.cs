namespace RegistryCleaner.Worker.Registries.Http.Signing;

public static class HostHeader
{
    /// <summary>
    /// The Host header value for a request URI, port only when not the scheme's default. Signers set it on the
    /// request explicitly, so the value signed is the value sent.
    /// </summary>
    public static string For(Uri uri) => uri.GetComponents(UriComponents.Host | UriComponents.Port, UriFormat.UriEscaped);
}
