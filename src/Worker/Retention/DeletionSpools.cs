using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace RegistryCleaner.Worker.Retention;

/// <summary>
/// Where runs spool their deletions: <c>Retention:SpoolDirectory</c>, by default the system's temporary directory.
/// At start-up the directory is created if need be, and spools a killed worker left behind are removed (a spool still
/// open by a running worker is locked and left alone).
/// </summary>
public sealed class DeletionSpools
{
    public const string DirectoryKey = "Retention:SpoolDirectory";

    private DeletionSpools(string directory) => Directory = directory;

    public string Directory { get; }

    public DeletionSpool Create() => new(Directory);

    /// <summary>Throws <see cref="OptionsValidationException"/> naming the key when the directory cannot be used.</summary>
    public static DeletionSpools Start(IConfiguration configuration)
    {
        var configured = configuration[DirectoryKey];
        var directory = string.IsNullOrWhiteSpace(configured) ? Path.GetTempPath() : Path.GetFullPath(configured);
        try
        {
            System.IO.Directory.CreateDirectory(directory);
            foreach (var stale in System.IO.Directory.EnumerateFiles(directory, $"{DeletionSpool.FilePrefix}*.bin"))
                RemoveIfStale(stale);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new OptionsValidationException(DirectoryKey, typeof(DeletionSpools), [$"{DirectoryKey} '{directory}' cannot be used for deletion spools: {e.Message}"]);
        }
        return new DeletionSpools(directory);
    }

    private static void RemoveIfStale(string path)
    {
        try
        {
            using (new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            {
            }
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // open (locked) by a running worker, or gone meanwhile
        }
    }
}
