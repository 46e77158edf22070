using RegistryCleaner.Contracts;

namespace RegistryCleaner.Worker.Registries;

public sealed record DeletionResult(DeletionOutcome Outcome, int? TagsDeleted = null)
{
    public static readonly DeletionResult Deleted = new(DeletionOutcome.Deleted);
    public static readonly DeletionResult AlreadyAbsent = new(DeletionOutcome.AlreadyAbsent);
}
