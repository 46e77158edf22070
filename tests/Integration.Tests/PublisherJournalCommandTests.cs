using System.Text.Json;
using RegistryCleaner.Integration.Tests.Support;

namespace RegistryCleaner.Integration.Tests;

/// <summary><c>registry-cleaner history</c>, <c>restore</c> and <c>reclaim run</c> as processes, against a worker of their own.</summary>
public sealed class PublisherJournalCommandTests(OwnWorkerFixture fixture) : IClassFixture<OwnWorkerFixture>
{
    private Task<(int Exit, string Output, string Error)> Cli(params string[] args) =>
        PublisherProcess.RunAsync([.. args, "--broker", fixture.BrokerUri]);

    private async Task<(string Repository, string Digest, Guid Request)> DeletedAsync(string prefix)
    {
        var repository = TestServices.UniqueRepository(prefix);
        var digest = await fixture.Registry.PushAsync(repository, "one", "v1", "keep");
        var request = Guid.NewGuid();
        var (exit, output, error) = await Cli("delete-tag", "--registry", "oci", "--repository", repository, "--tag", "v1", "--request-id", request.ToString(),
            "--reason", "cli test", "--wait");
        Assert.True(exit == 0, $"{output}{error}");
        return (repository, digest, request);
    }

    [Fact]
    public async Task History_shows_the_deletion_with_its_digest_as_a_table_and_as_JSON_Lines()
    {
        var (repository, digest, request) = await DeletedAsync("cli-history");

        var (exit, table, _) = await Cli("history", "--request", request.ToString());
        var (jsonExit, lines, _) = await Cli("history", "--repository", repository, "--tag", "v*", "--since", "1h", "--json");

        Assert.Equal((0, 0), (exit, jsonExit));
        Assert.Contains($"oci/{repository}:v1@{digest[..19]}", table);
        Assert.Contains("reason: cli test", table);
        using var json = JsonDocument.Parse(Assert.Single(lines.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal(("JournalEntry", digest, "Deleted"),
            (json.RootElement.GetProperty("event").GetString(), json.RootElement.GetProperty("digest").GetString(), json.RootElement.GetProperty("outcome").GetString()));
    }

    [Fact]
    public async Task Restore_by_request_puts_the_tag_back_and_exits_0()
    {
        var (repository, digest, request) = await DeletedAsync("cli-restore");

        var (exit, output, error) = await Cli("restore", "--request", request.ToString(), "--wait");

        Assert.True(exit == 0, $"{output}{error}");
        Assert.Contains($"restored       oci/{repository}:v1  @{digest}", output);
        Assert.Equal(digest, await fixture.Registry.ResolveAsync(repository, "v1"));
    }

    [Fact]
    public async Task Restore_refuses_bad_input_with_exit_2_and_sends_nothing()
    {
        var (unknownExit, _, unknownError) = await Cli("restore", "--request", Guid.NewGuid().ToString(), "--wait");
        var (mixedExit, _, mixedError) = await Cli("restore", "--request", Guid.NewGuid().ToString(), "--registry", "oci", "--repository", "team/app", "--tag", "v1");
        var (aloneExit, _, aloneError) = await Cli("restore", "--tag", "v1");

        Assert.Equal(2, unknownExit);
        Assert.Contains("holds no completed tag deletion", unknownError);
        Assert.Equal(2, mixedExit);
        Assert.Contains("exactly one way", mixedError);
        Assert.Equal(2, aloneExit);
        Assert.Contains("--tag needs --registry and --repository", aloneError);
    }

    [Fact]
    public async Task Reclaim_run_refuses_a_URL_and_an_unknown_registry_and_a_dry_run_ends_with_0()
    {
        var (urlExit, _, urlError) = await Cli("reclaim", "run", "--registry", "https://registry.example.com", "--wait");
        var (unknownExit, unknownOutput, _) = await Cli("reclaim", "run", "--registry", "nowhere", "--wait");
        var (dryExit, dryOutput, dryError) = await Cli("reclaim", "run", "--registry", "oci", "--dry-run", "--wait");

        Assert.Equal(2, urlExit);
        Assert.Contains("not a URL", urlError);
        Assert.Equal(1, unknownExit);
        Assert.Contains("'nowhere' is not configured", unknownOutput);
        Assert.True(dryExit == 0, $"{dryOutput}{dryError}");
        Assert.Contains("(dry run): done", dryOutput);
    }
}
