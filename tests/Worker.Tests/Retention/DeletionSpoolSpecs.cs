using Microsoft.Extensions.Configuration;
using RegistryCleaner.Worker.Retention;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Retention;

/// <summary>A run's deletions on disk: read back as written, private to the worker's user, and never left behind.</summary>
public sealed class DeletionSpoolSpecs : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("spool-specs-");

    public void Dispose() => _directory.Delete(recursive: true);

    private DeletionSpools Spools() =>
        DeletionSpools.Start(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [DeletionSpools.DirectoryKey] = _directory.FullName }).Build());

    private string[] SpoolFiles() => Directory.GetFiles(_directory.FullName, $"{DeletionSpool.FilePrefix}*");

    [Fact]
    public void Deletions_are_read_back_in_order_with_their_repository_reason_and_preconditions()
    {
        PlannedDeletion[] written =
        [
            new("team/a", "v1", "old"), new("team/a", "v2", "old"), new("team/a", "sha256-aa.sig", "referrer", "sha256:aa"),
            new("team/a", "sha256-aa.att", "referrer", "sha256:aa", "sha256:a2"), new("team/b", "v1", "old", Digest: "sha256:b1"), new("team/b", "v0", "orphan"),
        ];
        using var spool = Spools().Create();
        foreach (var d in written)
            spool.Add(d.Repository, d.Tag, d.Reason, d.OnlyIfUntagged, d.Digest);

        Assert.Equal(written, spool.Read());
        Assert.Equal(6, spool.Count);
    }

    [Fact]
    public void Equal_reasons_are_written_once()
    {
        var reason = new string('r', 1000);
        using var spool = Spools().Create();
        for (var i = 0; i < 100; i++)
            spool.Add("team/app", $"v{i}", reason);
        _ = spool.Read().Count();

        Assert.InRange(new FileInfo(Assert.Single(SpoolFiles())).Length, 1, 2_000);
    }

    [Fact]
    public void The_file_is_private_and_gone_when_the_run_ends()
    {
        using (var spool = Spools().Create())
        {
            spool.Add("team/app", "v1", "old");
            var file = Assert.Single(SpoolFiles());
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
        Assert.Empty(SpoolFiles());
    }

    [Fact]
    public void A_spool_left_by_a_killed_worker_is_removed_at_start_and_a_live_one_is_not()
    {
        var stale = Path.Combine(_directory.FullName, $"{DeletionSpool.FilePrefix}stale.bin");
        File.WriteAllText(stale, "left behind");
        var other = Path.Combine(_directory.FullName, "unrelated.bin");
        File.WriteAllText(other, "not ours");
        using var live = Spools().Create();
        live.Add("team/app", "v1", "old");
        var liveFile = Assert.Single(SpoolFiles());

        Spools();

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(other));
        Assert.True(File.Exists(liveFile));
        Assert.Equal("v1", Assert.Single(live.Read()).Tag);
    }
}
