using System.Text.Json;
using RegistryCleaner.Integration.Tests.Support;

namespace RegistryCleaner.Integration.Tests;

[Collection(WorkerCollection.Name)]
public sealed class PublisherProcessTests(WorkerFixture fixture)
{
    [Fact]
    public async Task Delete_tag_with_wait_ends_with_the_result_and_exit_code_0()
    {
        var repository = TestServices.UniqueRepository("cli");
        await fixture.Registry.PushAsync(repository, "one", "v1", "v2");

        var (exit, output, error) = await PublisherProcess.RunAsync("delete-tag", "--registry", "oci", "--repository", repository, "--tag", "v1",
            "--wait", "--timeout", "60", "--broker", TestServices.RabbitMqUri);

        Assert.True(exit == 0, $"exit {exit}\n{output}\n{error}");
        Assert.Contains("deleted", output);
        Assert.Contains($"oci/{repository}:v1", output);
        Assert.Equal(["v2"], await fixture.Registry.TagsAsync(repository));
    }

    [Fact]
    public async Task Json_output_is_one_parseable_object_per_line_and_a_failure_exits_1()
    {
        var (exit, output, _) = await PublisherProcess.RunAsync("delete-tag", "--registry", "no-such-registry", "--repository", "team/app", "--tag", "v1",
            "--wait", "--json", "--broker", TestServices.RabbitMqUri);

        Assert.Equal(1, exit);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(line);
        Assert.Equal("DeletionFailed", json.RootElement.GetProperty("event").GetString());
        Assert.Equal("UnknownRegistry", json.RootElement.GetProperty("failure").GetString());
    }
}
