namespace RegistryCleaner.Sandbox;

/// <summary>
/// A fault applied to matching requests before the normal handler runs.
/// A rule fires either from <see cref="Sequence"/> (one scripted status per matching request, then it stops)
/// or, without a sequence, with <see cref="Probability"/> answering <see cref="Status"/>.
/// Status 0 means "drop the connection without a response".
/// A <see cref="GatewayNotFound"/> rule without sequence and with probability 0 fires on every match.
/// <see cref="Latency"/> and <see cref="Jitter"/> delay every matching request, fired or not.
/// <see cref="ErrorCode"/> applies to the OCI registry's answers; the vendor APIs answer as for the status alone.
/// </summary>
public sealed record FaultRule
{
    public string? Registry { get; init; }
    public string? Method { get; init; }
    public string? PathPattern { get; init; }
    public double Probability { get; init; }
    public IReadOnlyList<int>? Sequence { get; init; }
    public int Status { get; init; }
    public int? RetryAfterSeconds { get; init; }
    public TimeSpan Latency { get; init; }
    public TimeSpan Jitter { get; init; }
    public bool GatewayNotFound { get; init; }

    /// <summary>
    /// The error code in the answer's body, where the status alone does not say which error it is (an OCI registry's 400
    /// DIGEST_INVALID, say); without it, the code the registry most often gives with that status.
    /// </summary>
    public string? ErrorCode { get; init; }

    /// <summary>An absolute URL: the answer is a redirect there (give a 3xx status), as a proxy or a storage-backed registry gives.</summary>
    public string? RedirectTo { get; init; }
}
