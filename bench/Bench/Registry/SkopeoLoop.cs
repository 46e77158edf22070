using System.Diagnostics;

namespace RegistryCleaner.Bench.Registry;

/// <summary>
/// One <c>skopeo delete</c> per tag, one after the other, as a shell loop would. skopeo resolves the tag and deletes
/// the manifest by digest, which removes every tag on that digest: a sibling deleted that way fails its own turn.
/// </summary>
public static class SkopeoLoop
{
    public static async Task<SkopeoFigures> RunAsync(Uri registry, IEnumerable<(string Repository, string Tag)> tags)
    {
        var started = Stopwatch.GetTimestamp();
        int deleted = 0, failed = 0;
        string? firstError = null;
        foreach (var (repository, tag) in tags)
        {
            var (ok, error) = await DeleteAsync(registry, repository, tag);
            if (ok)
                deleted++;
            else
            {
                failed++;
                firstError ??= error;
            }
        }
        return new SkopeoFigures(deleted + failed, Stopwatch.GetElapsedTime(started), deleted, failed, firstError);
    }

    public static async Task<(bool Ok, string Error)> DeleteAsync(Uri registry, string repository, string tag)
    {
        var info = new ProcessStartInfo("skopeo") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "delete", "--tls-verify=false", $"docker://{registry.Authority}/{repository}:{tag}" })
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new BenchFailure("skopeo could not be started.");
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode == 0, (await error).Trim());
    }
}

public sealed record SkopeoFigures(int Count, TimeSpan Elapsed, int Deleted, int Failed, string? FirstError)
{
    public double PerSecond => Count / Elapsed.TotalSeconds;
}
