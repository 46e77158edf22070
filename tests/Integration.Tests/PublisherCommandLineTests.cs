using RegistryCleaner.Integration.Tests.Support;

namespace RegistryCleaner.Integration.Tests;

/// <summary>The CLI as its own process where no worker is needed: it ends with exit code 2 before anything is sent.</summary>
public sealed class PublisherCommandLineTests
{
    [Fact]
    public async Task An_unreachable_broker_is_named_without_its_password()
    {
        var (exit, _, error) = await PublisherProcess.RunAsync("delete-tag", "--registry", "oci", "--repository", "team/app", "--tag", "v1",
            "--broker", "amqp://someone:s3cret-pw@127.0.0.1:1/");

        Assert.Equal(2, exit);
        Assert.Contains("amqp://someone@127.0.0.1:1", error);
        Assert.DoesNotContain("s3cret-pw", error);
    }

    [Fact]
    public async Task Usage_errors_exit_2()
    {
        var (exit, _, error) = await PublisherProcess.RunAsync("delete-tag", "--registry", "oci");

        Assert.Equal(2, exit);
        Assert.Contains("--repository", error);
    }
}
