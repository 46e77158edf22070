namespace RegistryCleaner.Worker.Retention;

/// <summary>One tag deletion a run will send once its whole plan is known to be within the limits.</summary>
/// <param name="OnlyIfUntagged">For a referrer removed with its subject: the subject's digest, which no tag may hold when the referrer goes.</param>
/// <param name="Digest">What the tag pointed at when it was condemned, where the registry can check it at the delete.</param>
public readonly record struct PlannedDeletion(string Repository, string Tag, string Reason, string? OnlyIfUntagged = null, string? Digest = null);

/// <summary>
/// A run's deletions, written to a file as each repository is planned and read back to send them, so a run over
/// millions of tags holds none of them in memory. The file is created on the first deletion, readable by the worker's
/// user only, and is gone when the spool is disposed (deleted on close; one left by a killed worker is removed at the
/// next start, see <see cref="DeletionSpools"/>). Repository, reason and subject are written only when they change,
/// so a record is little more than its tag.
/// </summary>
public sealed class DeletionSpool(string directory) : IDisposable
{
    public const string FilePrefix = "registry-cleaner-plan-";
    private const byte TagRecord = 0, RepositoryRecord = 1, ReasonRecord = 2, SubjectRecord = 3, TagAtDigestRecord = 4;

    private FileStream? _file;
    private BinaryWriter? _writer;
    private string? _repository, _reason, _subject;

    public long Count { get; private set; }

    /// <summary>Throws <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/> when the file cannot be written.</summary>
    public void Add(string repository, string tag, string reason, string? onlyIfUntagged = null, string? digest = null)
    {
        _writer ??= Open();
        if (!string.Equals(repository, _repository, StringComparison.Ordinal))
        {
            _writer.Write(RepositoryRecord);
            _writer.Write(repository);
            _repository = repository;
        }
        if (!string.Equals(reason, _reason, StringComparison.Ordinal))
        {
            _writer.Write(ReasonRecord);
            _writer.Write(reason);
            _reason = reason;
        }
        if (!string.Equals(onlyIfUntagged, _subject, StringComparison.Ordinal))
        {
            _writer.Write(SubjectRecord);
            _writer.Write(onlyIfUntagged ?? "");
            _subject = onlyIfUntagged;
        }
        _writer.Write(digest is null ? TagRecord : TagAtDigestRecord);
        _writer.Write(tag);
        if (digest is not null)
            _writer.Write(digest);
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
        string repository = "", reason = "";
        string? subject = null;
        for (long read = 0; read < Count;)
        {
            switch (reader.ReadByte())
            {
                case RepositoryRecord:
                    repository = reader.ReadString();
                    break;
                case ReasonRecord:
                    reason = reader.ReadString();
                    break;
                case SubjectRecord:
                    subject = reader.ReadString() is { Length: > 0 } digest ? digest : null;
                    break;
                case TagAtDigestRecord:
                    yield return new PlannedDeletion(repository, reader.ReadString(), reason, subject, reader.ReadString());
                    read++;
                    break;
                default:
                    yield return new PlannedDeletion(repository, reader.ReadString(), reason, subject);
                    read++;
                    break;
            }
        }
    }

    private BinaryWriter Open()
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None, // on Unix an advisory lock: the start-up sweep leaves a live spool alone
            BufferSize = 1 << 16,
            Options = FileOptions.DeleteOnClose,
        };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        _file = new FileStream(Path.Combine(directory, $"{FilePrefix}{Guid.NewGuid():N}.bin"), options);
        return new BinaryWriter(_file, System.Text.Encoding.UTF8, leaveOpen: true);
    }

    public void Dispose()
    {
        _writer?.Dispose();
        _file?.Dispose();
        _writer = null;
        _file = null;
    }
}
