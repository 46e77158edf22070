using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RegistryCleaner.Sandbox;
using RegistryCleaner.Worker;
using RegistryCleaner.Worker.Retention.Scheduling;

namespace RegistryCleaner.Integration.Tests.Support;

/// <summary>The worker's real services in the test process, on a broker URI of the test's own, for tests that add test-only filters to its bus.</summary>
public sealed class InProcessWorker : IAsyncDisposable
{
    private readonly IHost _host;

    private InProcessWorker(IHost host) => _host = host;

    public static async Task<InProcessWorker> StartAsync(string brokerUri, SandboxServer sandbox, IDictionary<string, string?>? settings = null,
        Action<IBusRegistrationConfigurator>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var configuration = new Dictionary<string, string?>
        {
            ["Transport:Kind"] = "RabbitMq",
            ["Transport:RabbitMq:Uri"] = brokerUri,
            ["Registries:oci:Kind"] = "Oci",
            ["Registries:oci:Endpoint"] = sandbox.EndpointOf(ScaleOutSupport.Registry).ToString(),
            ["Retry:BaseDelay"] = "00:00:00.100",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            configuration[key] = value;
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Error);
        builder.Services.AddRegistries(builder.Configuration);
        builder.Services.AddScheduling(builder.Configuration);
        builder.Services.AddMessaging(builder.Configuration, configure);
        var host = builder.Build();
        await host.StartAsync();
        return new InProcessWorker(host);
    }

    private bool _stopped;

    public async ValueTask DisposeAsync()
    {
        if (_stopped)
            return;
        _stopped = true;
        await _host.StopAsync();
        _host.Dispose();
    }
}
