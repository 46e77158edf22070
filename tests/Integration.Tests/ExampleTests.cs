using System.Text.Json;
using System.Text.RegularExpressions;
using RegistryCleaner.Integration.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace RegistryCleaner.Integration.Tests;

/// <summary>
/// The examples in examples/, run as they are against the worker (a process of its own) on real RabbitMQ and the real
/// docker-registry: each deletes exactly the tag it names, its sibling on the same digest survives, and the exit code tells.
/// </summary>
[Collection(ExamplesCollection.Name)]
public sealed class ExampleTests(ExamplesFixture fixture)
{
    private const string Shell = "examples/shell/delete-tag.sh";

    [Fact]
    public async Task The_shell_example_deletes_a_tag_with_amqp_publish_and_waits_for_its_result_with_amqp_consume()
    {
        var repository = await fixture.RepositoryWithAsync("v1");

        var (exit, output, error) = await fixture.RunAsync("sh", [Shell, ExamplesFixture.Registry, repository, "v1", "shell example"]);

        Assert.True(exit == 0, $"exit {exit}: {output}{error}");
        var result = JsonDocument.Parse(output).RootElement;
        Assert.Equal("Deleted", result.GetProperty("outcome").GetString());
        Assert.Equal(repository, result.GetProperty("repository").GetString());
        Assert.Equal(["v1-sibling"], await fixture.Images.TagsAsync(repository));
    }

    [Fact]
    public async Task The_shell_example_exits_1_with_the_failure_when_the_command_is_refused()
    {
        var repository = await fixture.RepositoryWithAsync("v1");

        var (exit, output, error) = await fixture.RunAsync("sh", [Shell, ExamplesFixture.Registry, repository, "../v1"]);

        Assert.True(exit == 1, $"exit {exit}: {output}{error}");
        Assert.Equal("Rejected", JsonDocument.Parse(output).RootElement.GetProperty("failure").GetString());
        Assert.Equal(["v1", "v1-sibling"], await fixture.Images.TagsAsync(repository));
    }

    [Fact]
    public async Task The_python_example_publishes_with_pika_and_waits_for_the_result_by_RequestId()
    {
        var repository = await fixture.RepositoryWithAsync("v2");

        var (exit, output, error) = await fixture.RunAsync(Python, ["examples/python/delete_tag.py", ExamplesFixture.Registry, repository, "v2", "--reason", "python example"]);

        Assert.True(exit == 0, $"exit {exit}: {output}{error}");
        var result = JsonDocument.Parse(output).RootElement;
        Assert.Equal("Deleted", result.GetProperty("outcome").GetString());
        Assert.Equal("guest", result.GetProperty("verifiedPublisher").GetString()); // pika sets user_id; RabbitMQ checked it
        Assert.Equal(["v2-sibling"], await fixture.Images.TagsAsync(repository));
    }

    [Fact]
    public async Task The_GitLab_CI_job_runs_its_script_to_the_deletion()
    {
        var repository = await fixture.RepositoryWithAsync("review-feature-x");
        var job = (YamlMappingNode)Yaml("examples/ci/gitlab-ci.yml")["stop-review"];
        var environment = ((YamlMappingNode)job["variables"]).Children.ToDictionary(v => v.Key.ToString(), v => v.Value.ToString());
        environment["CI_PROJECT_PATH"] = repository;
        environment["CI_COMMIT_REF_SLUG"] = "feature-x";
        Assert.Contains("amqp-tools", string.Join(" ", (YamlSequenceNode)job["before_script"]));

        foreach (var line in (YamlSequenceNode)job["script"])
        {
            var (exit, output, error) = await fixture.RunAsync("bash", ["-c", line.ToString()], environment);
            Assert.True(exit == 0, $"{line}: exit {exit}: {output}{error}");
        }
        Assert.Equal(["review-feature-x-sibling"], await fixture.Images.TagsAsync(repository));
    }

    [Fact]
    public async Task The_GitHub_Actions_step_runs_to_the_deletion()
    {
        var repository = await fixture.RepositoryWithAsync("pr-42");
        var expressions = new Dictionary<string, string>
        {
            ["secrets.REGISTRY_CLEANER_AMQP_URL"] = fixture.VirtualHost.RabbitMqUri,
            ["github.repository"] = repository,
            ["github.event.number"] = "42",
        };
        var steps = (YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)Yaml("examples/ci/github-actions.yml")["jobs"])["delete-preview-image"])["steps"];
        var step = steps.Cast<YamlMappingNode>().Single(s => s.Children.ContainsKey("run") && s["run"].ToString().Contains("delete-tag.sh"));
        var environment = ((YamlMappingNode)step["env"]).Children.ToDictionary(v => v.Key.ToString(), v => Substitute(v.Value.ToString(), expressions));

        var (exit, output, error) = await fixture.RunAsync("bash", ["-c", Substitute(step["run"].ToString(), expressions)], environment);

        Assert.True(exit == 0, $"exit {exit}: {output}{error}");
        Assert.Equal(["pr-42-sibling"], await fixture.Images.TagsAsync(repository));
    }

    /// <summary>Debian's Python, where apt's python3-pika is installed (another python3 may come first on PATH).</summary>
    private static string Python => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    private static YamlMappingNode Yaml(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(ExamplesFixture.RepositoryRoot, path));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string Substitute(string text, IReadOnlyDictionary<string, string> expressions) =>
        Regex.Replace(text, @"\$\{\{\s*([^}\s]+)\s*\}\}", m => expressions.TryGetValue(m.Groups[1].Value, out var value)
            ? value
            : throw new InvalidOperationException($"The example uses {m.Value}, which the test does not provide."));
}
