using RegistryCleaner.Contracts;
using RegistryCleaner.Integration.Tests.Support;
using RegistryCleaner.Sandbox;

namespace RegistryCleaner.Integration.Tests;

/// <summary>
/// A worker process of its own, in a RabbitMQ virtual host of its own, deleting from a sandbox registry "flaky" whose faults
/// the tests switch on and off: so a command can fail while the registry is down and be re-driven once it is back.
/// The shared fixture's worker consumes the same queue names in the default virtual host and never sees these.
/// </summary>
public sealed class PublisherRedriveFixture : IAsyncLifetime
{
    public const string Registry = "flaky";
    public const string Repository = "team/app";

    private BatchWorkerProcess? _worker;

    public BatchVirtualHost VirtualHost { get; private set; } = null!;
    public SandboxServer Sandbox { get; private set; } = null!;

    public string Broker => VirtualHost.RabbitMqUri;

    public async Task InitializeAsync()
    {
        VirtualHost = await BatchVirtualHost.CreateAsync("publisher-redrive");
        Sandbox = await SandboxServer.StartAsync(new SandboxSeed
        {
            Registries =
            [
                new SeedRegistry
                {
                    Name = Registry,
                    Kind = RegistryKind.Oci,
                    Repositories = [new SeedRepository
                    {
                        Name = Repository,
                        Tags = [new SeedTag { Name = "v1", Image = "one" }, new SeedTag { Name = "v1-alias", Image = "one" }, new SeedTag { Name = "v2", Image = "two" }],
                    }],
                },
            ],
        });

        _worker = await BatchWorkerProcess.StartAsync(Broker, QueueNames.DeleteTag, new Dictionary<string, string>
        {
            [$"Registries__{Registry}__Kind"] = "Oci",
            [$"Registries__{Registry}__Endpoint"] = Sandbox.EndpointOf(Registry).ToString(),
            ["Retry__MaxAttempts"] = "2",
            ["Retry__BaseDelay"] = "00:00:00.050",
            ["Retry__MaxDelay"] = "00:00:00.100",
        });
    }

    public async Task DisposeAsync()
    {
        if (_worker is not null)
            await _worker.DisposeAsync();
        if (Sandbox is not null)
            await Sandbox.DisposeAsync();
        if (VirtualHost is not null)
            await VirtualHost.DeleteAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PublisherRedriveCollection : ICollectionFixture<PublisherRedriveFixture>
{
    public const string Name = "publisher re-drive in its own virtual host";
}
