namespace RegistryCleaner.Sandbox;

/// <summary>Emulates the seeded registries over real HTTP, each on its own loopback port.</summary>
public sealed class SandboxServer : IAsyncDisposable
{
    private readonly Dictionary<string, RegistryHost> _hosts;

    private SandboxServer(Dictionary<string, RegistryHost> hosts, SandboxState state, FaultInjector faults, RequestLog requests)
    {
        _hosts = hosts;
        State = state;
        Faults = faults;
        Requests = requests;
    }

    public IReadOnlyCollection<string> RegistryNames => _hosts.Keys;
    public SandboxState State { get; }
    public FaultInjector Faults { get; }
    public RequestLog Requests { get; }

    public static Task<SandboxServer> StartAsync(SandboxSeed seed, CancellationToken ct = default) =>
        StartAsync(seed, TimeProvider.System, ct);

    /// <param name="time">The clock that times injected latency and stamps the request log.</param>
    public static async Task<SandboxServer> StartAsync(SandboxSeed seed, TimeProvider time, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentNullException.ThrowIfNull(time);
        var duplicate = (seed.Registries ?? []).GroupBy(r => r.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"The seed names registry '{duplicate.Key}' twice.", nameof(seed));

        var stores = (seed.Registries ?? []).Select(r => new RegistryStore(r)).ToList();
        var faults = new FaultInjector();
        foreach (var rule in seed.Faults ?? []) faults.Add(rule);
        var requests = new RequestLog();

        var hosts = new Dictionary<string, RegistryHost>(StringComparer.Ordinal);
        try
        {
            foreach (var store in stores)
                hosts.Add(store.Name, await RegistryHost.StartAsync(RegistryApi.Create(store), faults, requests, time, ct));
        }
        catch
        {
            foreach (var host in hosts.Values) await host.DisposeAsync();
            throw;
        }
        return new SandboxServer(hosts, new SandboxState(stores), faults, requests);
    }

    public static async Task<SandboxServer> StartFromFileAsync(string seedJsonPath, CancellationToken ct = default) =>
        await StartAsync(await SandboxSeed.LoadAsync(seedJsonPath, ct), ct);

    /// <summary>The base URL a client is configured with: the listener root, plus "/ncr/api/v2" for NCR.</summary>
    public Uri EndpointOf(string registryName) =>
        _hosts.TryGetValue(registryName, out var host)
            ? host.Endpoint
            : throw new ArgumentException($"The sandbox has no registry named '{registryName}'.", nameof(registryName));

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts.Values) await host.DisposeAsync();
    }
}
