using RegistryCleaner.Common.Validation;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Registries;

namespace RegistryCleaner.Worker.Retention;

/// <summary>
/// Checks <see cref="DeleteTag.OnlyIfUntagged"/> right before a referrer is deleted: no tag of the repository may
/// still point at its subject. Its subject's own delete is sent just before it and may still be in flight, so while a
/// tag holds the subject the check asks to be retried (<see cref="SubjectStillTaggedException"/>) a few times before it
/// refuses; a repository it cannot read, or a tag without a known digest, is a refusal too: the referrer is kept.
/// </summary>
public static class ReferrerPrecondition
{
    /// <summary>Retries (the endpoint's message retries) spent waiting for the subject's delete before refusing.</summary>
    public const int Waits = 3;

    public static async Task<Refusal?> CheckAsync(IRegistryClient client, string repository, string tag, string subject, int retryAttempt, CancellationToken ct)
    {
        IReadOnlyList<RegistryTag>? tags;
        try
        {
            tags = await client.ListTagsAsync(repository, new OperationAttempts(), ct);
        }
        catch (RegistryFailureException e)
        {
            return new Refusal(e.Kind, $"Kept {repository}:{tag}: whether its subject {subject} is still tagged could not be checked ({e.Message}).");
        }
        if (tags is null)
            return null; // the repository is gone, and the referrer with it: the delete says so
        var holder = tags.FirstOrDefault(t => t.Name != tag && string.Equals(t.Digest, subject, StringComparison.Ordinal))
            ?? tags.FirstOrDefault(t => t.Name != tag && t.Digest is null);
        if (holder is null)
            return null;
        if (holder.Digest is not null && retryAttempt < Waits)
            throw new SubjectStillTaggedException(repository, holder.Name, subject);
        return new Refusal(FailureKind.Forbidden, holder.Digest is null
            ? $"Kept {repository}:{tag}: the digest of {holder.Name} is unknown, so its subject {subject} may still be tagged."
            : $"Kept {repository}:{tag}: its subject {subject} is still tagged ({holder.Name}); a referrer goes only with its image's last tag.");
    }
}

/// <summary>The subject of a referrer is still tagged, maybe only until its own delete (in flight) is done: retried.</summary>
public sealed class SubjectStillTaggedException(string repository, string tag, string subject)
    : Exception($"The subject {subject} of a referrer in {repository} is still tagged ({tag}).");
