using RegistryCleaner.Contracts;
using Riok.Mapperly.Abstractions;

namespace RegistryCleaner.Worker.Restore;

/// <summary>
/// The part of a restore's result event and journal entry that repeats its command and who sent it. Generated, so that
/// every field of <see cref="RestoreTag"/> reaches each of them or is left out here by name; the caller adds the outcome with <c>with</c>.
/// </summary>
[Mapper(RequiredMappingStrategy = RequiredMappingStrategy.Source)]
public static partial class RestoreEcho
{
    [MapperIgnoreSource(nameof(RestoreTag.DeletionRequestId))]
    [MapperIgnoreSource(nameof(RestoreTag.Reason))]
    public static partial TagRestored Restored(RestoreTag command, string? verifiedPublisher);

    [MapperIgnoreSource(nameof(RestoreTag.DeletionRequestId))]
    [MapperIgnoreSource(nameof(RestoreTag.Reason))]
    public static partial RestoreFailed Failed(RestoreTag command, string? verifiedPublisher);

    [MapperIgnoreSource(nameof(RestoreTag.DeletionRequestId))]
    [MapperIgnoreSource(nameof(RestoreTag.DryRun))]
    public static partial JournalRecord JournalEntry(RestoreTag command, string? verifiedPublisher);
}
