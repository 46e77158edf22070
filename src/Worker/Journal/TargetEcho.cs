using RegistryCleaner.Contracts;
using Riok.Mapperly.Abstractions;

namespace RegistryCleaner.Worker.Journal;

/// <summary>
/// The part of a deletion's result event and journal entry that repeats its command: what was asked and who asked. Generated,
/// so that every field of <see cref="DeletionTarget"/> reaches each of them; the caller adds the outcome with <c>with</c>.
/// </summary>
[Mapper(RequiredMappingStrategy = RequiredMappingStrategy.Source)]
public static partial class TargetEcho
{
    public static partial DeletionSucceeded Succeeded(DeletionTarget target);

    public static partial DeletionFailed Failed(DeletionTarget target);

    public static partial JournalRecord JournalEntry(DeletionTarget target);
}
