namespace RegistryCleaner.Worker.Registries;

public static class RegistryKindNames
{
    /// <summary>The kind as telemetry tags and metrics name it.</summary>
    public static string Of(RegistryKind kind) => kind switch
    {
        RegistryKind.Oci => "oci",
        RegistryKind.Swr => "swr",
        RegistryKind.Ims => "ims",
        RegistryKind.Ncr => "ncr",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
