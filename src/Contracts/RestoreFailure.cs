namespace RegistryCleaner.Contracts;

public enum RestoreFailure
{
    /// <summary>The command is malformed (a missing field, a name outside the registry's grammar).</summary>
    Rejected,
    UnknownRegistry,

    /// <summary>Out of the registry's scope, or the publisher is not allowed.</summary>
    Forbidden,

    /// <summary>The journal holds no deletion of that tag (with a recorded digest).</summary>
    NotInJournal,

    /// <summary>The tag exists now: a restore never overwrites.</summary>
    TagExists,

    /// <summary>The manifest was reclaimed, or the registry no longer holds it.</summary>
    Reclaimed,

    /// <summary>The registry kind has no documented way to put a tag back.</summary>
    NotRestorable,

    /// <summary>The registry failed or refused the call (see <see cref="RestoreFailed.Detail"/>).</summary>
    RegistryError,
    Internal,
}
