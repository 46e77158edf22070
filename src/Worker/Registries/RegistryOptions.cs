namespace RegistryCleaner.Worker.Registries;

/// <summary>One configured registry: <c>Registries__&lt;name&gt;__*</c>. Holds secrets: never log or serialize it.</summary>
public sealed class RegistryOptions
{
    public RegistryKind? Kind { get; set; }
    public string? Endpoint { get; set; }
    public string? Username { get; set; }
    public string? Password { get; set; }
    public string? AccessKey { get; set; }
    public string? SecretKey { get; set; }
    public string? Token { get; set; }

    /// <summary>Files holding <see cref="Password"/>, <see cref="SecretKey"/> or <see cref="Token"/>, as container platforms mount secrets.</summary>
    public string? PasswordFile { get; set; }

    public string? SecretKeyFile { get; set; }
    public string? TokenFile { get; set; }

    public string? ProjectId { get; set; }
    public string? NcrRegistry { get; set; }
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>Requests per second one worker process sends this registry (retries and token fetches included); unset: no limit.</summary>
    public double? RequestsPerSecond { get; set; }

    /// <summary>When the registry counts as down, and how long its work waits for it to come back.</summary>
    public Resilience.OutageOptions Outage { get; set; } = new();

    /// <summary>OCI only: how tag deletes of one repository are gathered into one batch.</summary>
    public RegistryCleaner.Worker.Registries.Oci.UntagBatchOptions UntagBatch { get; set; } = new();

    /// <summary>Allows plain http to a host that is not loopback.</summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>Anchored regular expressions; when any is set, a repository must match one to be deleted from or planned by retention.</summary>
    public List<string> AllowedRepositories { get; set; } = [];

    /// <summary>Anchored regular expressions of tags that no command and no retention run may delete, added to <c>Protection:Tags</c>.</summary>
    public List<string> ProtectedTags { get; set; } = [];

    /// <summary>Broker user names; when any is set, only commands whose verified publisher is one of them (or the worker itself) are carried out.</summary>
    public List<string> AllowedPublishers { get; set; } = [];

    /// <summary>Why a secret file could not be read, filled in when the options are built and reported by the validator.</summary>
    internal List<string> SecretFileErrors { get; } = [];

    public override string ToString() => $"{Kind} registry at {Endpoint}";
}

public sealed class RegistriesOptions
{
    public const string Section = "Registries";

    public Dictionary<string, RegistryOptions> Registries { get; } = new(StringComparer.OrdinalIgnoreCase);
}
