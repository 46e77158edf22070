namespace RegistryCleaner.Contracts;

public enum JournalOutcome
{
    /// <summary>The intent was recorded and the registry call has not ended (or the worker died during it).</summary>
    Pending,
    Deleted,
    AlreadyAbsent,
    Failed,
    Restored,

    /// <summary>A dry run that found the action possible.</summary>
    WouldRestore,
    Reclaimed,

    /// <summary>A reclaim found a tag pointing at the digest again (pushed again or restored): the digest stays.</summary>
    Kept,
}
