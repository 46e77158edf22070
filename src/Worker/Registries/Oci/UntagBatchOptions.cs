namespace RegistryCleaner.Worker.Registries.Oci;

/// <summary>
/// <c>Registries__&lt;name&gt;__UntagBatch__*</c>: how an OCI registry without the spec 1.1 tag delete gathers the tag
/// deletes of one repository into one batch (one shared throw-away manifest, one DELETE).
/// </summary>
public sealed class UntagBatchOptions
{
    public const int MaxLinger = 1_000, MaxMaxSize = 1_000;

    /// <summary>How long the first tag of a batch waits for others of the same repository to join it.</summary>
    public int LingerMilliseconds { get; set; } = 20;

    /// <summary>A batch this large starts at once, without waiting out the linger.</summary>
    public int MaxSize { get; set; } = 32;

    public IEnumerable<string> Errors(string key)
    {
        if (LingerMilliseconds is < 0 or > MaxLinger)
            yield return $"{key}:UntagBatch:LingerMilliseconds must be between 0 and {MaxLinger} (is {LingerMilliseconds}).";
        if (MaxSize is < 1 or > MaxMaxSize)
            yield return $"{key}:UntagBatch:MaxSize must be between 1 and {MaxMaxSize} (is {MaxSize}).";
    }
}
