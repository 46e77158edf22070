namespace RegistryCleaner.Contracts;

public enum FailureKind
{
    /// <summary>The command itself is invalid (empty, oversized or malformed fields). No registry call was made.</summary>
    Rejected,

    /// <summary>The command names a registry the worker is not configured for. No registry call was made.</summary>
    UnknownRegistry,

    /// <summary>The registry refused the credentials, also after re-authenticating once.</summary>
    Unauthorized,

    /// <summary>The registry (or the worker's own rules) forbids this deletion.</summary>
    Forbidden,

    /// <summary>The registry does not allow deletion (for example distribution with delete disabled).</summary>
    NotSupported,

    /// <summary>The repository still holds images and the command did not ask to delete its tags first.</summary>
    RepositoryNotEmpty,

    /// <summary>Transient answers (429, 5xx, timeouts) lasted through every allowed attempt.</summary>
    RetriesExhausted,

    /// <summary>The answer did not come from the registry API (a proxy page, an unknown gateway route): check the endpoint.</summary>
    Misconfigured,

    /// <summary>The registry answered with a permanent error that fits no other kind (400, 413, ...).</summary>
    RegistryError,

    /// <summary>The worker failed unexpectedly; the command is kept for re-drive.</summary>
    Internal,
}
