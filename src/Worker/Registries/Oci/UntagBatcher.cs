namespace RegistryCleaner.Worker.Registries.Oci;

/// <summary>
/// Gathers the tag deletes of one repository that arrive together into one batch: the first waits
/// <see cref="UntagBatchOptions.LingerMilliseconds"/> for others to join it, and a batch that reaches
/// <see cref="UntagBatchOptions.MaxSize"/> starts at once. Only open batches are held, so memory stays bounded by the
/// commands in flight however many repositories there are.
/// </summary>
internal sealed class UntagBatcher<TItem>(UntagBatchOptions options, TimeProvider time, Func<string, IReadOnlyList<TItem>, Task> run)
{
    private readonly Dictionary<string, List<TItem>> _open = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public void Add(string repository, TItem item)
    {
        List<TItem>? batch;
        bool opened, full;
        lock (_lock)
        {
            opened = !_open.TryGetValue(repository, out batch);
            if (opened)
                _open[repository] = batch = [];
            batch!.Add(item);
            full = batch.Count >= options.MaxSize;
            if (full)
                _open.Remove(repository);
        }
        if (full)
            Start(repository, batch);
        else if (opened)
            _ = CloseAfterLingerAsync(repository, batch);
    }

    private async Task CloseAfterLingerAsync(string repository, List<TItem> batch)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(options.LingerMilliseconds), time);
        lock (_lock)
        {
            // A batch that filled up meanwhile has started already (and a newer one may be open under the same name).
            if (!_open.TryGetValue(repository, out var open) || !ReferenceEquals(open, batch))
                return;
            _open.Remove(repository);
        }
        Start(repository, batch);
    }

    private void Start(string repository, List<TItem> batch) => _ = Task.Run(() => run(repository, batch));
}
