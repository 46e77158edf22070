namespace RegistryCleaner.Contracts;

/// <summary>The worker's command queues. Commands are sent here, so they wait in a durable queue even before a worker starts.</summary>
public static class QueueNames
{
    public const string DeleteTag = "delete-tag";
    public const string DeleteRepository = "delete-repository";
    public const string RunRetentionPolicy = "run-retention-policy";
    public const string RetentionPolicies = "retention-policies";
    public const string Journal = "journal";
    public const string RestoreTag = "restore-tag";
    public const string Reclaim = "reclaim";

    public static Uri Address(string queue) => new($"queue:{queue}");
}
