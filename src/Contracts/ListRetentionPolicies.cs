namespace RegistryCleaner.Contracts;

/// <summary>A request to a worker for its retention policies; answered with <see cref="RetentionPolicyList"/>.</summary>
public record ListRetentionPolicies
{
    public Guid RequestId { get; init; }
}
