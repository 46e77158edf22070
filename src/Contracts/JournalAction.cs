namespace RegistryCleaner.Contracts;

/// <summary>What a journal entry records.</summary>
public enum JournalAction
{
    DeleteTag,
    DeleteRepository,
    RestoreTag,
    ReclaimDigest,
}
