using System.Diagnostics;
using RegistryCleaner.Integration.Tests.Support;

namespace RegistryCleaner.Integration.Tests;

/// <summary>
/// The CLI as scripts/publish-cli.sh builds it (one self-contained file for linux-x64), run from a directory of its own with
/// an environment that holds no .NET at all, as in a CI job's image: --help, and a delete-tag --wait against real RabbitMQ.
/// scripts/test.sh publishes it while the tests run and passes its path in RC_TEST_CLI; without that, the test builds it.
/// </summary>
[Collection(ExamplesCollection.Name)]
public sealed class SingleFileCliTests(ExamplesFixture fixture)
{
    [Fact]
    public async Task The_single_file_CLI_shows_its_help_and_deletes_a_tag_where_no_dotnet_is_installed()
    {
        var home = Directory.CreateTempSubdirectory("registry-cleaner-cli");
        try
        {
            var cli = Path.Combine(home.FullName, "registry-cleaner");
            File.Copy(await BuiltCliAsync(), cli); // keeps the executable mode

            var help = await RunAsync(cli, home.FullName, "--help");
            Assert.True(help.Exit == 0, help.Output + help.Error);
            Assert.Contains("delete-tag", help.Output);

            var repository = await fixture.RepositoryWithAsync("v1");
            var delete = await RunAsync(cli, home.FullName, "delete-tag", "--broker", fixture.VirtualHost.RabbitMqUri,
                "--registry", ExamplesFixture.Registry, "--repository", repository, "--tag", "v1", "--wait", "--timeout", "60");
            Assert.True(delete.Exit == 0, $"exit {delete.Exit}: {delete.Output}{delete.Error}");
            Assert.Equal(["v1-sibling"], await fixture.Images.TagsAsync(repository));
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    private static async Task<string> BuiltCliAsync()
    {
        if (Environment.GetEnvironmentVariable("RC_TEST_CLI") is { Length: > 0 } built)
        {
            if (Environment.GetEnvironmentVariable("RC_TEST_CLI_STATUS") is { Length: > 0 } status)
                await PublishedAsync(status);
            return built;
        }
        var output = Directory.CreateTempSubdirectory("registry-cleaner-cli-build").FullName;
        var (exit, stdout, error) = await RunScriptAsync("bash", "scripts/publish-cli.sh", output);
        Assert.True(exit == 0, $"scripts/publish-cli.sh failed ({exit}): {error}");
        return stdout.Trim().Split('\n')[^1];
    }

    /// <summary>scripts/test.sh publishes the CLI while the tests run, and writes the exit code of its publish to <paramref name="status"/> when done.</summary>
    private static async Task PublishedAsync(string status)
    {
        static string? Exit(string path) => File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } exit ? exit : null;
        var exit = await Eventually.FoundAsync(() => Exit(status), TimeSpan.FromMinutes(15), () => "scripts/publish-cli.sh did not end");
        Assert.True(exit == "0", $"scripts/publish-cli.sh failed ({exit}): {File.ReadAllText(Path.ChangeExtension(status, ".log"))}");
    }

    private static async Task<(int Exit, string Output, string Error)> RunScriptAsync(string program, params string[] args) =>
        await RunAsync(program, ExamplesFixture.RepositoryRoot, TimeSpan.FromMinutes(10), inheritEnvironment: true, args);

    private static Task<(int Exit, string Output, string Error)> RunAsync(string cli, string home, params string[] args) =>
        RunAsync(cli, home, TimeSpan.FromSeconds(120), inheritEnvironment: false, args);

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string program, string directory, TimeSpan timeout, bool inheritEnvironment, string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        if (!inheritEnvironment)
        {
            // Nothing of this machine's .NET: no PATH to a dotnet, no DOTNET_* settings.
            start.Environment.Clear();
            start.Environment["HOME"] = directory;
            start.Environment["PATH"] = "/nonexistent";
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not end within {timeout}: {await output}{await error}");
        }
        return (process.ExitCode, await output, await error);
    }
}
