namespace RegistryCleaner.Worker.Registries;

public enum RegistryKind
{
    Oci,
    Swr,
    Ims,
    Ncr,
}
