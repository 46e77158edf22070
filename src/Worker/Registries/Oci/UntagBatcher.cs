namespace RegistryCleaner.Worker.Registries.Oci;

/// <summary>
/// Gathers the tag deletes of one repository into batches. The first tag of a batch waits
/// <see cref="UntagBatchOptions.LingerMilliseconds"/> for others to join; then the batch asks to run. Until it may run
/// (an earlier batch of the repository still writes to it), later tags keep joining it, so batches grow by themselves
/// when the registry is slow, up to <see cref="UntagBatchOptions.MaxSize"/>; a full batch asks to run at once, and the
/// next tag opens a new one. Only open batches are held, so memory stays bounded by the commands in flight.
/// </summary>
/// <param name="run">Runs a batch: waits until it may write to the repository, then calls the seal it is given, which
/// closes the batch to newcomers and returns its tags.</param>
internal sealed class UntagBatcher<TItem>(UntagBatchOptions options, TimeProvider time, Func<string, Func<IReadOnlyList<TItem>>, Task> run)
{
    private readonly Dictionary<string, Batch> _open = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public void Add(string repository, TItem item)
    {
        Batch? batch;
        bool full;
        Task? linger = null;
        lock (_lock)
        {
            var opened = !_open.TryGetValue(repository, out batch);
            if (opened)
                _open[repository] = batch = new Batch();
            batch!.Items.Add(item);
            full = batch.Items.Count >= options.MaxSize;
            if (full)
                _open.Remove(repository);
            else if (opened)
                linger = Task.Delay(TimeSpan.FromMilliseconds(options.LingerMilliseconds), time); // timed from before the tag is seen waiting
        }
        if (full)
            Start(repository, batch);
        else if (linger is not null)
            _ = StartAfterLingerAsync(repository, batch, linger);
    }

    /// <summary>How many tags of the repository wait in its open batch (one that has not been sealed yet).</summary>
    public int Waiting(string repository)
    {
        lock (_lock)
            return _open.TryGetValue(repository, out var batch) ? batch.Items.Count : 0;
    }

    private async Task StartAfterLingerAsync(string repository, Batch batch, Task linger)
    {
        await linger;
        Start(repository, batch);
    }

    private void Start(string repository, Batch batch)
    {
        if (Interlocked.Exchange(ref batch.Started, 1) == 0)
            _ = Task.Run(() => run(repository, () => Seal(repository, batch)));
    }

    private IReadOnlyList<TItem> Seal(string repository, Batch batch)
    {
        lock (_lock)
        {
            if (_open.TryGetValue(repository, out var open) && ReferenceEquals(open, batch))
                _open.Remove(repository);
            return [.. batch.Items];
        }
    }

    private sealed class Batch
    {
        public readonly List<TItem> Items = [];
        public int Started;
    }
}
