using RegistryCleaner.Contracts;

namespace RegistryCleaner.Worker.Registries;

/// <summary>A final, classified failure of a registry operation. Its message is meant for people and never holds a secret.</summary>
public sealed class RegistryFailureException(FailureKind kind, int? status, string detail) : Exception(detail)
{
    public FailureKind Kind { get; } = kind;
    public int? Status { get; } = status;
}
