namespace RegistryCleaner.Worker.Registries;

/// <summary>What one operation (possibly several requests) did against a registry, for the result event.</summary>
public sealed class OperationAttempts
{
    private int _retries;
    private int _requests;

    /// <summary>1 plus every retry made by any request of the operation.</summary>
    public int Attempts => 1 + Volatile.Read(ref _retries);

    public int Requests => Volatile.Read(ref _requests);
    public int? LastStatus { get; private set; }

    internal void RecordRequest(int? status)
    {
        Interlocked.Increment(ref _requests);
        LastStatus = status;
    }

    internal void RecordRetry() => Interlocked.Increment(ref _retries);
}
