using Microsoft.AspNetCore.Http;

namespace RegistryCleaner.Sandbox;

/// <summary>One emulated API. It answers unknown routes the way its real gateway does.</summary>
internal abstract class RegistryApi(RegistryStore store)
{
    public RegistryStore Store { get; } = store;

    /// <summary>The path prefix clients put after the host (empty, or "/ncr/api/v2").</summary>
    public virtual string BasePath => "";

    public abstract Task HandleAsync(HttpContext context, RawRequest request);

    /// <summary>Writes an injected error status in this API's own error shape.</summary>
    public abstract Task WriteFaultAsync(HttpContext context, RawRequest request, int status);

    /// <summary>Writes an injected error with the given code; an API whose errors have no such code answers as for the status alone.</summary>
    public virtual Task WriteFaultAsync(HttpContext context, RawRequest request, int status, string errorCode) => WriteFaultAsync(context, request, status);

    public static RegistryApi Create(RegistryStore store) => store.Kind switch
    {
        RegistryKind.Oci => new OciApi(store),
        RegistryKind.Swr => new SwrApi(store),
        RegistryKind.Ims => new ImsApi(store),
        RegistryKind.Ncr => new NcrApi(store),
        _ => throw new ArgumentOutOfRangeException(nameof(store), store.Kind, "Unknown registry kind."),
    };
}
