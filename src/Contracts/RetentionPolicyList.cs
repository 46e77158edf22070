namespace RegistryCleaner.Contracts;

public record RetentionPolicyList
{
    public IReadOnlyList<RetentionPolicyInfo> Policies { get; init; } = [];
}
