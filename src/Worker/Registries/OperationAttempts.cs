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

    /// <summary>Counts the requests of work done on behalf of several operations (one batch's shared requests) in this one as well.</summary>
    internal void Include(OperationAttempts shared)
    {
        if (shared.Requests == 0)
            return;
        Interlocked.Add(ref _retries, shared.Attempts - 1);
        Interlocked.Add(ref _requests, shared.Requests);
        LastStatus = shared.LastStatus;
    }
}
