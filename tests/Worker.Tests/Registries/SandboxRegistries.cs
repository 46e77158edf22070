using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RegistryCleaner.Contracts;
using RegistryCleaner.Sandbox;
using RegistryCleaner.Worker.Registries;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Registries;

/// <summary>A sandbox, and worker clients for its registries built the way the worker builds them (configuration and DI).</summary>
public sealed class SandboxRegistries : IAsyncDisposable
{
    public const int MaxAttempts = 3;

    /// <summary>Retry:AttemptTimeout of every client, on the clock the client is given (a spec with a fake clock moves it this far to time an attempt out).</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(5);

    private readonly List<ServiceProvider> _providers = [];

    private SandboxRegistries(SandboxServer server, IReadOnlyList<SeedRegistry> seeds)
    {
        Server = server;
        Seeds = seeds;
    }

    public SandboxServer Server { get; }
    public IReadOnlyList<SeedRegistry> Seeds { get; }
    public SandboxState State => Server.State;

    public static Task<SandboxRegistries> StartAsync(params SeedRegistry[] registries) => StartAsync(TimeProvider.System, registries);

    /// <summary>A sandbox whose request log is stamped by <paramref name="time"/>.</summary>
    public static async Task<SandboxRegistries> StartAsync(TimeProvider time, params SeedRegistry[] registries) =>
        new(await SandboxServer.StartAsync(new SandboxSeed { Registries = registries }, time), registries);

    /// <summary>The client for a seeded registry, configured with its credentials unless <paramref name="change"/> says otherwise;
    /// <paramref name="configure"/> may add services first (a fake clock, an HTTP handler of the test's own).</summary>
    public IRegistryClient Client(string registry, Action<Dictionary<string, string?>>? change = null, Action<IServiceCollection>? configure = null)
    {
        var seed = Seeds.Single(s => s.Name == registry);
        var key = $"Registries:{registry}";
        var values = new Dictionary<string, string?>
        {
            [$"{key}:Kind"] = seed.Kind.ToString(),
            [$"{key}:Endpoint"] = Server.EndpointOf(registry).AbsoluteUri,
            [$"{key}:AccessKey"] = seed.AccessKey,
            [$"{key}:SecretKey"] = seed.SecretKey,
            [$"{key}:ProjectId"] = seed.ProjectId,
            [$"{key}:NcrRegistry"] = seed.NcrRegistry,
            ["Retry:MaxAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Retry:BaseDelay"] = "00:00:00.010",
            ["Retry:MaxDelay"] = "00:00:00.050",
            ["Retry:AttemptTimeout"] = AttemptTimeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        };
        change?.Invoke(values);

        var services = new ServiceCollection();
        configure?.Invoke(services);
        services.AddRegistries(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        Assert.True(provider.GetRequiredService<RegistryCatalog>().TryGet(registry, out var client));
        return client;
    }

    /// <summary>The requests the sandbox received for one registry, as raw paths with their query.</summary>
    public IReadOnlyList<RequestRecord> Requests(string registry) => Server.Requests.Snapshot(registry);

    public static async Task<RegistryFailureException> FailsAsync(FailureKind kind, Func<Task> action, params string[] secrets)
    {
        var failure = await Assert.ThrowsAsync<RegistryFailureException>(action);
        Assert.Equal(kind, failure.Kind);
        foreach (var secret in secrets)
            Assert.DoesNotContain(secret, failure.Message, StringComparison.Ordinal);
        return failure;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
            await provider.DisposeAsync();
        await Server.DisposeAsync();
    }
}
