namespace RegistryCleaner.Worker.Journal;

/// <summary>
/// A digest's claim (<see cref="IJournalStore.TryClaimAsync"/>): held by a reclaim while it deletes the digest, and by a
/// restore while it puts a tag back on it, so that neither works under the other.
/// </summary>
public static class DigestClaims
{
    /// <summary>How long a claim holds without its owner (a worker that died holding it); longer than either's work.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);
}
