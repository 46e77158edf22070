using Microsoft.Extensions.Logging;
using RegistryCleaner.Common;
using RegistryCleaner.Worker.Journal;

namespace RegistryCleaner.Worker.Restore;

/// <summary>
/// The digest's claim around a restore's checks and PUT. Restores of one digest in this process take turns first, so
/// they never refuse each other (a run's restore of two tags of one image); a claim held elsewhere (a reclaim, another
/// worker's restore) is asked for again a few times before the restore is refused.
/// </summary>
internal static class RestoreClaim
{
    private static readonly StripedGates Turns = new();
    private static readonly TimeSpan[] Waits = [TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];

    /// <summary>Runs <paramref name="work"/> holding the claim; null when the claim stayed with another owner.</summary>
    public static async Task<T?> HoldingAsync<T>(DeletionJournal journal, TimeProvider time, ILogger log, string registry, string repository, string digest,
        string owner, Func<Task<T>> work, CancellationToken ct) where T : struct
    {
        var turn = Turns.For(digest);
        await turn.WaitAsync(ct);
        try
        {
            for (var attempt = 0; !await journal.Store.TryClaimAsync(registry, repository, digest, owner, time.GetUtcNow(), DigestClaims.Lease, ct); attempt++)
            {
                if (attempt == Waits.Length)
                    return null;
                await Task.Delay(Waits[attempt], time, ct);
            }
            try
            {
                return await work();
            }
            finally
            {
                await ReleaseAsync(journal, log, registry, repository, digest, owner);
            }
        }
        finally
        {
            turn.Release();
        }
    }

    /// <summary>A release that fails leaves the claim to expire: the restore's own outcome stands.</summary>
    private static async Task ReleaseAsync(DeletionJournal journal, ILogger log, string registry, string repository, string digest, string owner)
    {
        try
        {
            await journal.Store.ReleaseAsync(registry, repository, digest, owner, CancellationToken.None);
        }
        catch (Exception e)
        {
            log.LogWarning("The claim on {Registry}/{Repository}@{Digest} could not be released; it expires by itself ({Error})", registry, repository, digest, e.GetType().Name);
        }
    }
}
