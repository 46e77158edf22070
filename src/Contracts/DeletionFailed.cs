namespace RegistryCleaner.Contracts;

public record DeletionFailed
{
    public Guid RequestId { get; init; }
    public string Registry { get; init; } = "";
    public string Repository { get; init; } = "";
    public string? Tag { get; init; }
    public FailureKind Failure { get; init; }

    /// <summary>The last HTTP status the registry answered, if any request was made.</summary>
    public int? LastStatus { get; init; }

    /// <summary>What went wrong, in words a person can act on. Never holds a secret.</summary>
    public string Detail { get; init; } = "";

    public int Attempts { get; init; }
    public TimeSpan Elapsed { get; init; }
    public DateTimeOffset FailedAt { get; init; }

    /// <summary>True when the command was kept in the endpoint's error queue for re-drive.</summary>
    public bool KeptForRedrive { get; init; }

    /// <summary>Free text from the command, for people; never used for an authorization decision.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>The broker user that published the command, as RabbitMQ verified it (the AMQP user_id property); null when the command carried none.</summary>
    public string? VerifiedPublisher { get; init; }

    public Guid? RunId { get; init; }
    public string? Policy { get; init; }
}
