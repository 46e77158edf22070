using RegistryCleaner.Contracts;

namespace RegistryCleaner.Worker.Registries;

/// <param name="Digest">The digest the deleted tag pointed at, where the registry told it; null for a repository, and for a
/// registry whose delete answer does not name it.</param>
/// <param name="MediaType">The media type of the manifest at <paramref name="Digest"/>, where known.</param>
public sealed record DeletionResult(DeletionOutcome Outcome, int? TagsDeleted = null, string? Digest = null, string? MediaType = null)
{
    public static readonly DeletionResult Deleted = new(DeletionOutcome.Deleted);
    public static readonly DeletionResult AlreadyAbsent = new(DeletionOutcome.AlreadyAbsent);

    public static DeletionResult DeletedFrom(string? digest, string? mediaType) => new(DeletionOutcome.Deleted, null, digest, mediaType);

    /// <summary>For a repository deletion that untagged its tags (OCI): each tag with the digest it pointed at, so that
    /// the journal can restore and reclaim them like single tag deletions.</summary>
    public IReadOnlyList<UntaggedTag>? UntaggedTags { get; init; }
}

public sealed record UntaggedTag(string Tag, string Digest, string? MediaType);
