using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RegistryCleaner.Common.Messaging;
using RegistryCleaner.Worker.Registries;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Specs;

public sealed class ConfigurationSpecs
{
    [Theory]
    [InlineData("Registries:prod:Endpoint", "http://registry.example.com", "Registries:prod:Endpoint uses plain http")]
    [InlineData("Registries:prod:Endpoint", "not a url", "Registries:prod:Endpoint must be an absolute")]
    [InlineData("Registries:prod:Endpoint", "https://user:pw@registry.example.com", "must not carry credentials")]
    [InlineData("Registries:prod:Kind", "Quay", "Registries:prod:Kind")]
    [InlineData("Registries:prod:MaxConcurrency", "0", "Registries:prod:MaxConcurrency")]
    [InlineData("Retry:MaxAttempts", "0", "Retry:MaxAttempts")]
    public void Invalid_configuration_names_the_bad_key(string key, string value, string expected)
    {
        var values = new Dictionary<string, string?>
        {
            ["Registries:prod:Kind"] = "Oci",
            ["Registries:prod:Endpoint"] = "https://registry.example.com",
            [key] = value,
        };
        var error = Record.Exception(() => Resolve(values));

        Assert.NotNull(error);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Plain_http_is_allowed_to_loopback_and_where_a_registry_opts_in()
    {
        Resolve(new Dictionary<string, string?>
        {
            ["Registries:local:Kind"] = "Oci",
            ["Registries:local:Endpoint"] = "http://127.0.0.1:5000",
            ["Registries:lab:Kind"] = "Oci",
            ["Registries:lab:Endpoint"] = "http://registry.lab",
            ["Registries:lab:AllowInsecureHttp"] = "true",
        });
    }

    [Fact]
    public void A_password_never_appears_in_the_options_text()
    {
        var options = new RegistryOptions { Kind = RegistryKind.Oci, Endpoint = "https://r.example.com", Password = "hunter2" };
        Assert.DoesNotContain("hunter2", options.ToString());
        Assert.DoesNotContain("hunter2", BrokerAddress.Parse("amqp://user:hunter2@127.0.0.1:5672/", "k").ToString());
    }

    private static void Resolve(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddRegistries(configuration);
        using var provider = services.BuildServiceProvider();
        _ = provider.GetRequiredService<IOptions<RetryOptions>>().Value;
        _ = provider.GetRequiredService<IOptions<RegistriesOptions>>().Value;
    }
}
