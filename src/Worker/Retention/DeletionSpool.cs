namespace RegistryCleaner.Worker.Retention;

/// <summary>One tag deletion a run will send once its whole plan is known to be within the limits.</summary>
public readonly record struct PlannedDeletion(string Repository, string Tag, string Reason);

/// <summary>
/// A run's deletions, written to a temporary file as each repository is planned and read back to send them, so a
/// run over millions of tags holds none of them in memory. The file is created on the first deletion and is gone
/// when the spool is disposed (also when the process dies: it is deleted on close).
/// </summary>
public sealed class DeletionSpool : IDisposable
{
    private FileStream? _file;
    private BinaryWriter? _writer;
    private string? _repository;

    public long Count { get; private set; }

    public void Add(string repository, string tag, string reason)
    {
        if (_writer is null)
        {
            var path = Path.Combine(Path.GetTempPath(), $"registry-cleaner-plan-{Guid.NewGuid():N}.bin");
            _file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
            _writer = new BinaryWriter(_file, System.Text.Encoding.UTF8, leaveOpen: true);
        }
        if (!string.Equals(repository, _repository, StringComparison.Ordinal))
        {
            _writer.Write(true);
            _writer.Write(repository);
            _repository = repository;
        }
        _writer.Write(false);
        _writer.Write(tag);
        _writer.Write(reason);
        Count++;
    }

    /// <summary>The deletions in the order they were added. Read once, after the last <see cref="Add"/>.</summary>
    public IEnumerable<PlannedDeletion> Read()
    {
        if (_writer is null || _file is null)
            yield break;
        _writer.Flush();
        _file.Position = 0;
        using var reader = new BinaryReader(_file, System.Text.Encoding.UTF8, leaveOpen: true);
        var repository = "";
        for (long read = 0; read < Count;)
        {
            if (reader.ReadBoolean())
            {
                repository = reader.ReadString();
                continue;
            }
            yield return new PlannedDeletion(repository, reader.ReadString(), reader.ReadString());
            read++;
        }
    }

    public void Dispose()
    {
        _writer?.Dispose();
        _file?.Dispose();
    }
}
