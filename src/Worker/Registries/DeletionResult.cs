using RegistryCleaner.Contracts;

namespace RegistryCleaner.Worker.Registries;

public sealed record DeletionResult(DeletionOutcome Outcome, int? TagsDeleted = null)
{
    public static readonly DeletionResult Deleted = new(DeletionOutcome.Deleted);
    public static readonly DeletionResult AlreadyAbsent = new(DeletionOutcome.AlreadyAbsent);

    /// <summary>The digest the deleted tag pointed at, where the registry told it.</summary>
    public string? Digest { get; init; }

    /// <summary>The media type of that manifest.</summary>
    public string? MediaType { get; init; }
}
