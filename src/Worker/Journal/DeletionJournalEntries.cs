using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Registries;

namespace RegistryCleaner.Worker.Journal;

/// <summary>What the deletion consumers write to the journal, and what they say when it cannot be written.</summary>
public static class DeletionJournalEntries
{
    public const string IntentNotRecorded =
        "The deletion journal could not record this deletion, so nothing was sent to the registry; the command is kept for re-drive.";

    public static JournalRecord Intent(JournalAction action, DeletionTarget target, string registry, string? reason) =>
        TargetEcho.JournalEntry(target) with { Action = action, Registry = registry, Reason = reason };

    public static JournalOutcome OutcomeOf(DeletionResult result) =>
        result.Outcome == DeletionOutcome.AlreadyAbsent ? JournalOutcome.AlreadyAbsent : JournalOutcome.Deleted;

    public static string OutcomeNotRecorded(DeletionResult result) =>
        $"The registry answered {result.Outcome}{(result.Digest is null ? "" : $" (the tag pointed at {result.Digest})")}, but the deletion journal could not record it, "
        + "so it is not reported as succeeded; the command is kept for re-drive, which completes the journal's entry.";
}
