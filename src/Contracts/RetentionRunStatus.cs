namespace RegistryCleaner.Contracts;

public enum RetentionRunStatus
{
    /// <summary>The plan was made and, unless a dry run, its deletions were sent.</summary>
    Completed,

    /// <summary>The plan broke a safety limit; nothing was deleted.</summary>
    Aborted,

    /// <summary>The run could not list or plan (unknown policy, registry unreachable); nothing was deleted.</summary>
    Failed,
}
