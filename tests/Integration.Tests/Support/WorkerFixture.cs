using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RegistryCleaner.Common.Messaging;
using RegistryCleaner.Contracts;
using RegistryCleaner.Publisher.Messaging;
using RegistryCleaner.Sandbox;
using RegistryCleaner.Worker;
using RegistryCleaner.Worker.Registries;
using RegistryCleaner.Worker.Retention.Scheduling;
using RegistryKind = RegistryCleaner.Sandbox.RegistryKind;

namespace RegistryCleaner.Integration.Tests.Support;

/// <summary>
/// One real worker on real RabbitMQ, in the broker's "/", shared by the tests of its collection, configured with registry
/// "oci" (deletion enabled) and "nodelete" (deletion disabled), plus a listener on the result events as any observer would have.
/// </summary>
public class WorkerFixture : IAsyncLifetime
{
    private IHost? _worker;
    private PublisherBus? _observer;
    private readonly ResultBook _results = new();

    public ImagePusher Registry { get; } = new(TestServices.OciRegistry);
    public ImagePusher RegistryWithoutDelete { get; } = new(TestServices.OciRegistryWithoutDelete);

    /// <summary>The broker (with the virtual host) where the worker takes its commands.</summary>
    public string BrokerUri { get; private set; } = "";
    public BrokerAddress Broker { get; private set; } = null!;

    /// <summary>A sandbox registry the worker also deletes from, whose request log shows every call that reached it.</summary>
    public SandboxServer Sandbox { get; private set; } = null!;

    /// <summary>Where the worker works: the broker's "/", or a virtual host of a fixture's own.</summary>
    protected virtual Task<string> BrokerUriAsync() => Task.FromResult(TestServices.RabbitMqUri);

    /// <summary>After the worker has stopped: for what <see cref="BrokerUriAsync"/> made.</summary>
    protected virtual Task StoppedAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        BrokerUri = await BrokerUriAsync();
        Broker = BrokerAddress.Parse(BrokerUri, "RC_TEST_RABBITMQ_URI");
        Sandbox = await SandboxServer.StartAsync(new SandboxSeed { Registries = [new SeedRegistry { Name = "sandbox-oci", Kind = RegistryKind.Oci }] });
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Transport:Kind"] = "RabbitMq",
            ["Transport:RabbitMq:Uri"] = BrokerUri,
            ["Registries:oci:Kind"] = "Oci",
            ["Registries:oci:Endpoint"] = TestServices.OciRegistry.ToString(),
            ["Registries:nodelete:Kind"] = "Oci",
            ["Registries:nodelete:Endpoint"] = TestServices.OciRegistryWithoutDelete.ToString(),
            ["Registries:sandbox-oci:Kind"] = "Oci",
            ["Registries:sandbox-oci:Endpoint"] = Sandbox.EndpointOf("sandbox-oci").ToString(),
            ["Retry:BaseDelay"] = "00:00:00.100",
            ["Retention:Policies:it-retention:Registry"] = "oci",
            ["Retention:Policies:it-retention:Repositories:Include:0"] = RetentionTests.Repository,
            ["Retention:Policies:it-retention:KeepNewest"] = "2",
            ["Retention:Policies:it-retention:DeleteOlderThan"] = "30d",
            ["Retention:Policies:it-retention:Protect:0"] = "^latest$",
            ["Retention:Policies:it-retention:Schedule"] = "0 0 3 * * ?",
            ["Retention:Policies:it-retention:TimeZone"] = "Europe/Berlin",
        }.Concat(RetentionImageTests.Policies));
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddRegistries(builder.Configuration);
        builder.Services.AddScheduling(builder.Configuration);
        builder.Services.AddMessaging(builder.Configuration);
        _worker = builder.Build();
        await _worker.StartAsync();

        _observer = await PublisherBus.ConnectAsync(Broker, listen: true, TimeSpan.FromSeconds(30), CancellationToken.None);
        _ = Task.Run(async () =>
        {
            await foreach (var result in _observer.Results.ReadAllAsync())
                _results.Add(result);
        });
    }

    public async Task SendAsync<T>(string queue, T command) where T : class => await _observer!.SendAsync(queue, command, CancellationToken.None);

    public Task<ResultEvent> ResultAsync(Guid requestId, int occurrence = 1) => _results.WaitAsync(requestId, TimeSpan.FromSeconds(60), occurrence);

    public async Task DisposeAsync()
    {
        if (_observer is not null)
            await _observer.DisposeAsync();
        if (_worker is not null)
        {
            await _worker.StopAsync();
            _worker.Dispose();
        }
        await StoppedAsync();
        Registry.Dispose();
        RegistryWithoutDelete.Dispose();
        await Sandbox.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class WorkerCollection : ICollectionFixture<WorkerFixture>
{
    public const string Name = "worker on RabbitMQ";
}

/// <summary>
/// The same worker for one test class (a class fixture), in a virtual host of its own: so that the classes that take long
/// run beside the shared worker's collection instead of one after another in it.
/// </summary>
public sealed class OwnWorkerFixture : WorkerFixture
{
    private BatchVirtualHost? _virtualHost;

    protected override async Task<string> BrokerUriAsync() => (_virtualHost = await BatchVirtualHost.CreateAsync("worker")).RabbitMqUri;

    protected override async Task StoppedAsync()
    {
        if (_virtualHost is not null)
            await _virtualHost.DeleteAsync();
    }
}
