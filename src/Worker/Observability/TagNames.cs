namespace RegistryCleaner.Worker.Observability;

/// <summary>Attribute names on the worker's spans and metrics. Values are configured names, command fields and outcomes — never credentials.</summary>
public static class TagNames
{
    public const string Registry = "registry.name";
    public const string RegistryKind = "registry.kind";
    public const string Repository = "registry.repository";
    public const string Tag = "registry.tag";
    public const string Operation = "registry_cleaner.operation";
    public const string Outcome = "registry_cleaner.outcome";
    public const string FailureKind = "registry_cleaner.failure_kind";
    public const string Attempts = "registry_cleaner.attempts";
    public const string Requests = "registry_cleaner.requests";
    public const string TagsDeleted = "registry_cleaner.tags_deleted";
    public const string RequestId = "registry_cleaner.request_id";
    public const string RequestedBy = "registry_cleaner.requested_by";
    public const string Reason = "registry_cleaner.reason";
    public const string RunId = "registry_cleaner.run_id";
    public const string Policy = "registry_cleaner.policy";
    public const string DryRun = "registry_cleaner.dry_run";
    public const string RunStatus = "registry_cleaner.run_status";
    public const string StatusCode = "http.response.status_code";
    public const string StatusClass = "http.response.status_class";
    public const string Method = "http.request.method";

    /// <summary>The registry of a command that named none the worker knows; metrics never carry the raw input.</summary>
    public const string Unresolved = "unresolved";
}
