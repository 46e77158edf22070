using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RegistryCleaner.Worker;
using RegistryCleaner.Worker.Deletion;
using RegistryCleaner.Worker.Registries;

namespace RegistryCleaner.Integration.Tests.Contract;

/// <summary>Registry clients built the way the worker builds them, from configuration keys.</summary>
public sealed class RegistryClients : IDisposable
{
    public const int MaxAttempts = 3;
    private readonly ServiceProvider _provider;

    public RegistryClients(IDictionary<string, string?> registrySettings)
    {
        var settings = new Dictionary<string, string?>(registrySettings)
        {
            ["Retry:MaxAttempts"] = MaxAttempts.ToString(),
            ["Retry:BaseDelay"] = "00:00:00.010",
            ["Retry:MaxDelay"] = "00:00:00.050",
        };
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRegistries(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddSingleton<CommandValidator>();
        _provider = services.BuildServiceProvider();
    }

    public IRegistryClient this[string name] => _provider.GetRequiredService<RegistryCatalog>().TryGet(name, out var client)
        ? client : throw new KeyNotFoundException(name);

    public CommandValidator Validator => _provider.GetRequiredService<CommandValidator>();

    public void Dispose() => _provider.Dispose();
}
