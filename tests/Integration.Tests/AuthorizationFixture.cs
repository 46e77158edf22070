using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RegistryCleaner.Common.Messaging;
using RegistryCleaner.Contracts;
using RegistryCleaner.Integration.Tests.Support;
using RegistryCleaner.Worker;
using RegistryCleaner.Worker.Retention.Scheduling;

namespace RegistryCleaner.Integration.Tests;

/// <summary>
/// A worker on real RabbitMQ whose registry "guarded" (the real registry) has a scope, protected tags and a publisher
/// allow-list, and two more broker users created by scripts/rabbitmq-users.sh: "allowed" is on the list, "other" is not.
/// Each user sends through its own bus, which stamps its user name as the AMQP user_id, as the Publisher does. All of them
/// work in a virtual host of their own, where no other worker takes the commands and no other test fills the error queues.
/// </summary>
public sealed class AuthorizationFixture : IAsyncLifetime
{
    public const string Registry = "guarded";
    public const string Policy = "guarded-retention";
    public static readonly string RetentionRepository = $"it/auth-{Guid.NewGuid().ToString("N")[..12]}";

    private readonly ConcurrentQueue<object> _events = new();
    private IHost? _worker;
    private IBusControl? _allowedBus;
    private IBusControl? _otherBus;
    private BatchVirtualHost? _virtualHost;

    public BrokerAddress Worker { get; private set; } = null!;
    public BrokerAddress Allowed { get; private set; } = null!;
    public BrokerAddress Other { get; private set; } = null!;

    /// <summary>The worker's (guest's) URI and the other user's, in the fixture's virtual host.</summary>
    public string WorkerUri { get; private set; } = "";
    public string OtherUri { get; private set; } = "";
    public ImagePusher Images { get; } = new(TestServices.OciRegistry);

    /// <summary>The access log of the registry the worker deletes from, as scripts/services.sh starts it.</summary>
    public string RegistryLog => Path.Combine(Required("RC_SERVICES_DIR"), $"registry-{TestServices.OciRegistry.Port}", "registry.log");

    public static string UniqueInScope(string prefix) => $"it/auth-{prefix}{Guid.NewGuid().ToString("N")[..8]}";

    public async Task InitializeAsync()
    {
        var allowedUri = Required("RC_TEST_RABBITMQ_ALLOWED_URI");
        var otherUri = Required("RC_TEST_RABBITMQ_OTHER_URI");
        var users = new[] { allowedUri, otherUri }.Select(uri => BrokerAddress.Parse(uri, "broker user").Username).ToArray();
        _virtualHost = await BatchVirtualHost.CreateAsync("authorization", users: users);
        WorkerUri = _virtualHost.RabbitMqUri;
        OtherUri = _virtualHost.UriOf(otherUri);
        Worker = BrokerAddress.Parse(WorkerUri, "RC_TEST_RABBITMQ_URI");
        Allowed = BrokerAddress.Parse(_virtualHost.UriOf(allowedUri), "RC_TEST_RABBITMQ_ALLOWED_URI");
        Other = BrokerAddress.Parse(OtherUri, "RC_TEST_RABBITMQ_OTHER_URI");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Transport:Kind"] = "RabbitMq",
            ["Transport:RabbitMq:Uri"] = WorkerUri,
            [$"Registries:{Registry}:Kind"] = "Oci",
            [$"Registries:{Registry}:Endpoint"] = TestServices.OciRegistry.ToString(),
            [$"Registries:{Registry}:AllowedRepositories:0"] = "it/auth-[a-z]*[0-9a-f]+",
            [$"Registries:{Registry}:ProtectedTags:0"] = "prod-.*",
            [$"Registries:{Registry}:AllowedPublishers:0"] = Allowed.Username,
            ["Protection:Tags:0"] = "latest",
            ["Retry:BaseDelay"] = "00:00:00.100",
            [$"Retention:Policies:{Policy}:Registry"] = Registry,
            [$"Retention:Policies:{Policy}:Repositories:Include:0"] = RetentionRepository,
            [$"Retention:Policies:{Policy}:KeepNewest"] = "1",
            [$"Retention:Policies:{Policy}:MinKeep"] = "0",
        });
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddRegistries(builder.Configuration);
        builder.Services.AddScheduling(builder.Configuration);
        builder.Services.AddMessaging(builder.Configuration);
        _worker = builder.Build();
        await _worker.StartAsync();

        _allowedBus = await StartBusAsync(Allowed, listen: true);
        _otherBus = await StartBusAsync(Other, listen: false);
    }

    private async Task<IBusControl> StartBusAsync(BrokerAddress broker, bool listen)
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(broker.Host, (ushort)broker.Port, broker.VirtualHost, h =>
            {
                h.Username(broker.Username);
                h.Password(broker.Password);
            });
            cfg.UseVerifiedIdentity(broker.Username);
            if (listen)
            {
                cfg.ReceiveEndpoint(new TemporaryEndpointDefinition(), e =>
                {
                    e.Handler<DeletionSucceeded>(c => Record(c.Message));
                    e.Handler<DeletionFailed>(c => Record(c.Message));
                    e.Handler<RetentionRunCompleted>(c => Record(c.Message));
                });
            }
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await bus.StartAsync(timeout.Token);
        return bus;
    }

    private Task Record(object message)
    {
        _events.Enqueue(message);
        return Task.CompletedTask;
    }

    public async Task SendAsAllowedAsync<T>(string queue, T command) where T : class => await SendAsync(_allowedBus!, queue, command);

    public async Task SendAsOtherAsync<T>(string queue, T command) where T : class => await SendAsync(_otherBus!, queue, command);

    private static async Task SendAsync<T>(IBus bus, string queue, T command) where T : class =>
        await (await bus.GetSendEndpoint(QueueNames.Address(queue))).Send(command);

    public Task<object> ResultAsync(Guid requestId) => EventuallyAsync(() => _events.FirstOrDefault(e =>
        e is DeletionSucceeded s && s.RequestId == requestId || e is DeletionFailed f && f.RequestId == requestId));

    public async Task<RetentionRunCompleted> RunAsync(Guid runId) =>
        (RetentionRunCompleted)await EventuallyAsync(() => _events.FirstOrDefault(e => e is RetentionRunCompleted r && r.RunId == runId));

    public async Task<DeletionSucceeded> RunDeletionAsync(Guid runId, string tag) =>
        (DeletionSucceeded)await EventuallyAsync(() => _events.FirstOrDefault(e => e is DeletionSucceeded s && s.RunId == runId && s.Tag == tag));

    public bool AnyResult(Guid requestId) => _events.Any(e => e is DeletionSucceeded s && s.RequestId == requestId || e is DeletionFailed f && f.RequestId == requestId);

    private static Task<object> EventuallyAsync(Func<object?> probe) =>
        Eventually.FoundAsync(probe, TimeSpan.FromSeconds(60), () => "the expected event did not arrive");

    private static string Required(string name) => Environment.GetEnvironmentVariable(name)
        ?? throw new InvalidOperationException($"{name} is not set: run the integration tests through scripts/test.sh, which starts RabbitMQ, adds the test users and starts the registries.");

    public async Task DisposeAsync()
    {
        foreach (var bus in new[] { _allowedBus, _otherBus })
        {
            if (bus is not null)
                await bus.StopAsync(CancellationToken.None);
        }
        if (_worker is not null)
        {
            await _worker.StopAsync();
            _worker.Dispose();
        }
        if (_virtualHost is not null)
            await _virtualHost.DeleteAsync();
        Images.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class AuthorizationCollection : ICollectionFixture<AuthorizationFixture>
{
    public const string Name = "authorization on RabbitMQ";
}
