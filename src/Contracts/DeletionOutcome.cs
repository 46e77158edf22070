namespace RegistryCleaner.Contracts;

public enum DeletionOutcome
{
    /// <summary>The registry removed it in answer to this request.</summary>
    Deleted,

    /// <summary>The registry API itself said it does not exist: the goal already holds.</summary>
    AlreadyAbsent,
}
