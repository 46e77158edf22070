namespace RegistryCleaner.Contracts;

/// <summary>
/// Delete the manifests whose tags this worker removed longer ago than <c>Reclaim:After</c> and that no tag points to any
/// more, with their referrers, so that the registry's garbage collection frees their space. Answered by <see cref="ReclaimCompleted"/>.
/// </summary>
public record ReclaimDigests
{
    public Guid RunId { get; init; }

    /// <summary>One configured registry; null for every registry.</summary>
    public string? Registry { get; init; }

    public bool DryRun { get; init; }
    public string? RequestedBy { get; init; }
}
