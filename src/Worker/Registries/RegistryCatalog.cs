using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RegistryCleaner.Worker.Registries.Http;
using RegistryCleaner.Worker.Registries.Resilience;

namespace RegistryCleaner.Worker.Registries;

/// <summary>The configured registries by name (case-insensitive), each with one long-lived client.</summary>
public sealed class RegistryCatalog
{
    private readonly Dictionary<string, IRegistryClient> _clients;

    public RegistryCatalog(IOptions<RegistriesOptions> registries, IOptions<RetryOptions> retry, IHttpClientFactory httpClients, TimeProvider time,
        ILoggerFactory loggers)
    {
        _clients = new(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, options) in registries.Value.Registries)
            _clients[name] = Create(name, options, Limits(options, loggers, time), retry.Value, httpClients, time);
    }

    public IReadOnlyCollection<string> Names => _clients.Keys;

    public bool TryGet(string name, out IRegistryClient client) => _clients.TryGetValue(name, out client!);

    private static RegistryLimits Limits(RegistryOptions o, ILoggerFactory loggers, TimeProvider time) =>
        new(o.MaxConcurrency, o.RequestsPerSecond, o.Outage) { Log = loggers.CreateLogger<RegistryHttp>(), Time = time };

    private static IRegistryClient Create(string name, RegistryOptions o, RegistryLimits limits, RetryOptions retry, IHttpClientFactory httpClients, TimeProvider time)
    {
        return o.Kind switch
        {
            RegistryKind.Oci => Oci.OciClient.Create(name, o, limits, retry, httpClients, time),
            RegistryKind.Swr => Swr.SwrClient.Create(name, o, limits, retry, httpClients, time),
            RegistryKind.Ims => Ims.ImsClient.Create(name, o, limits, retry, httpClients, time),
            RegistryKind.Ncr => Ncr.NcrClient.Create(name, o, limits, retry, httpClients, time),
            _ => throw new NotSupportedException($"Registries:{name}:Kind {o.Kind} is not supported yet."),
        };
    }
}
