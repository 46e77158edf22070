using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RegistryCleaner.Common.Messaging;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Protection;
using RegistryCleaner.Worker.Registries;
using RegistryCleaner.Worker.Tests.Registries;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Authorization;

/// <summary>Rules and secret files are checked at start-up; a bad one stops the worker, naming its key.</summary>
public sealed class RuleConfigurationSpecs : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rc-secrets-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string SecretFile(string content)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, content);
        return path;
    }

    private static ServiceProvider Build(Dictionary<string, string?> extra)
    {
        var values = new Dictionary<string, string?>
        {
            ["Registries:prod:Kind"] = "Oci",
            ["Registries:prod:Endpoint"] = "https://registry.example.com",
        };
        foreach (var (key, value) in extra)
            values[key] = value;
        var services = new ServiceCollection();
        services.AddRegistries(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        return services.BuildServiceProvider();
    }

    /// <summary>What start-up validation does: build every validated options instance and the rules.</summary>
    private static void Start(Dictionary<string, string?> extra)
    {
        using var provider = Build(extra);
        _ = provider.GetRequiredService<IOptions<RegistriesOptions>>().Value;
        _ = provider.GetRequiredService<IOptions<ProtectionOptions>>().Value;
        _ = provider.GetRequiredService<DeletionRules>();
    }

    [Theory]
    [InlineData("Registries:prod:AllowedRepositories:0", "team/(unclosed")]
    [InlineData("Registries:prod:ProtectedTags:0", "[z-a]")]
    [InlineData("Protection:Tags:0", "*latest")]
    [InlineData("Protection:Tags:0", " ")]
    [InlineData("Registries:prod:AllowedPublishers:0", " ci ")]
    [InlineData("Registries:prod:AllowedRepositories:0", "team-a/.*|^sandbox")]
    [InlineData("Registries:prod:ProtectedTags:0", "^prod-|release")]
    [InlineData("Protection:Tags:0", @"latest\Z")]
    public void An_invalid_rule_stops_start_up_naming_its_key(string key, string value)
    {
        var error = Assert.IsType<OptionsValidationException>(Record.Exception(() => Start(new() { [key] = value })));

        Assert.Contains(error.Failures, f => f.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_invalid_pattern_is_reported_at_once()
    {
        var error = Assert.IsType<OptionsValidationException>(Record.Exception(() => Start(new()
        {
            ["Registries:prod:AllowedRepositories:0"] = "ok/.*",
            ["Registries:prod:AllowedRepositories:1"] = "(",
            ["Registries:prod:ProtectedTags:0"] = ")",
        })));

        Assert.Contains(error.Failures, f => f.Contains("Registries:prod:AllowedRepositories:1", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Registries:prod:ProtectedTags:0", StringComparison.Ordinal));
    }

    [Fact]
    public void Global_protection_comes_first_and_names_its_key()
    {
        using var provider = Build(new()
        {
            ["Protection:Tags:0"] = "latest",
            ["Registries:prod:ProtectedTags:0"] = "latest|stable",
        });
        var rules = provider.GetRequiredService<DeletionRules>().For("prod");

        Assert.Equal("Protection:Tags:0", rules.ProtectionOf("latest")?.Key);
        Assert.Equal("Registries:prod:ProtectedTags:0", rules.ProtectionOf("stable")?.Key);
        Assert.Null(rules.ProtectionOf("latest2"));
        Assert.Null(rules.ProtectionOf("latest\n"));
    }

    [Fact]
    public void A_pattern_that_cannot_decide_in_time_protects_the_tag_and_keeps_the_repository_out_of_scope()
    {
        using var provider = Build(new()
        {
            ["Registries:prod:ProtectedTags:0"] = "(a+)+b",
            ["Registries:prod:AllowedRepositories:0"] = "(a+)+b",
        });
        var rules = provider.GetRequiredService<DeletionRules>().For("prod");
        var hostile = new string('a', 5000) + "c";

        Assert.NotNull(rules.ProtectionOf(hostile));
        Assert.Equal(FailureKind.Forbidden, rules.CheckRepository(hostile)?.Kind);
    }

    [Fact]
    public async Task A_secret_key_is_read_from_its_file_and_signs_requests()
    {
        await using var sandbox = await SandboxRegistries.StartAsync(RegistrySeeds.Swr());
        var seed = sandbox.Seeds.Single();
        var file = SecretFile(seed.SecretKey + "\n");
        var client = sandbox.Client(seed.Name, v =>
        {
            v[$"Registries:{seed.Name}:SecretKey"] = null;
            v[$"Registries:{seed.Name}:SecretKeyFile"] = file;
        });

        var result = await client.DeleteTagAsync("acme/web", "v1", new OperationAttempts(), CancellationToken.None);

        Assert.Equal(DeletionOutcome.Deleted, result.Outcome);
    }

    [Fact]
    public void A_password_is_read_from_its_file()
    {
        var file = SecretFile("s3cret\r\n");
        using var provider = Build(new() { ["Registries:prod:Username"] = "robot", ["Registries:prod:PasswordFile"] = file });

        Assert.Equal("s3cret", provider.GetRequiredService<IOptions<RegistriesOptions>>().Value.Registries["prod"].Password);
    }

    [Fact]
    public void A_missing_or_empty_secret_file_stops_start_up_naming_its_key()
    {
        var error = Assert.IsType<OptionsValidationException>(Record.Exception(() => Start(new()
        {
            ["Registries:prod:Username"] = "robot",
            ["Registries:prod:PasswordFile"] = Path.Combine(_dir, "absent"),
            ["Registries:swr:Kind"] = "Swr",
            ["Registries:swr:Endpoint"] = "https://swr.example.com",
            ["Registries:swr:AccessKey"] = "AK",
            ["Registries:swr:SecretKeyFile"] = SecretFile("\n"),
        })));

        Assert.Contains(error.Failures, f => f.StartsWith("Registries:prod:PasswordFile", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Registries:swr:SecretKeyFile", StringComparison.Ordinal) && f.Contains("empty"));
    }

    [Fact]
    public void A_secret_set_both_inline_and_from_a_file_stops_start_up()
    {
        var error = Assert.IsType<OptionsValidationException>(Record.Exception(() => Start(new()
        {
            ["Registries:prod:Username"] = "robot",
            ["Registries:prod:Password"] = "inline",
            ["Registries:prod:PasswordFile"] = SecretFile("from-file"),
        })));

        Assert.Contains(error.Failures, f => f.Contains("Registries:prod:Password and Registries:prod:PasswordFile are both set"));
        Assert.DoesNotContain(error.Failures, f => f.Contains("inline") || f.Contains("from-file"));
    }

    [Fact]
    public void The_broker_password_is_read_from_its_file()
    {
        var file = SecretFile("broker-s3cret\n");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Transport:RabbitMq:Uri"] = "amqps://cleaner@rabbit.example.com/prod",
            ["Transport:RabbitMq:PasswordFile"] = file,
        }).Build();

        var broker = BrokerAddress.FromConfiguration(configuration);

        Assert.Equal(("cleaner", "broker-s3cret", 5671, "prod", true), (broker.Username, broker.Password, broker.Port, broker.VirtualHost, broker.UseTls));
        Assert.DoesNotContain("broker-s3cret", broker.ToString());
    }

    [Fact]
    public void A_broker_password_in_both_the_uri_and_a_file_is_refused()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Transport:RabbitMq:Uri"] = "amqp://cleaner:inline@127.0.0.1/",
            ["Transport:RabbitMq:PasswordFile"] = SecretFile("from-file"),
        }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => BrokerAddress.FromConfiguration(configuration));

        Assert.Contains("Transport:RabbitMq:PasswordFile", error.Message);
        Assert.DoesNotContain("inline", error.Message);
    }

    [Fact]
    public void An_unreadable_broker_password_file_names_its_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Transport:RabbitMq:Uri"] = "amqp://cleaner@127.0.0.1/",
            ["Transport:RabbitMq:PasswordFile"] = Path.Combine(_dir, "absent"),
        }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => BrokerAddress.FromConfiguration(configuration));

        Assert.StartsWith("Transport:RabbitMq:PasswordFile", error.Message);
    }
}
