using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RegistryCleaner.Sandbox;

namespace RegistryCleaner.Worker.Sandbox;

/// <summary>
/// <c>--sandbox</c>: the worker doing its real job with nothing installed — the in-memory transport, and the
/// sandbox serving one registry of each kind seeded with sample data. A demo sends sample requests and prints
/// every result event; the worker then keeps consuming until Ctrl+C.
/// </summary>
public static class SandboxMode
{
    public const string Flag = "--sandbox";

    public static bool Requested(string[] args) => args.Contains(Flag, StringComparer.OrdinalIgnoreCase);

    public static string[] WithoutFlag(string[] args) => args.Where(a => !a.Equals(Flag, StringComparison.OrdinalIgnoreCase)).ToArray();

    public static async Task<SandboxServer> StartAsync(HostApplicationBuilder builder)
    {
        var seed = await SandboxSeed.LoadAsync(Path.Combine(AppContext.BaseDirectory, "sample-seed.json"));
        var sandbox = await SandboxServer.StartAsync(seed);
        var settings = new Dictionary<string, string?>
        {
            ["Transport:Kind"] = "InMemory",
            ["Journal:Store"] = "Memory",
            // The demo prints every result event as a row; the worker's own log lines would repeat them.
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:RegistryCleaner"] = "Error",
            ["Retry:BaseDelay"] = "00:00:00.200",
            ["Retention:Policies:demo-cleanup:Registry"] = "oci",
            ["Retention:Policies:demo-cleanup:Repositories:Include:0"] = "team/worker",
            ["Retention:Policies:demo-cleanup:KeepNewest"] = "2",
            ["Retention:Policies:demo-cleanup:DeleteOlderThan"] = "30d",
            ["Retention:Policies:demo-cleanup:Protect:0"] = "latest",
        };
        foreach (var registry in seed.Registries)
        {
            var key = $"Registries:{registry.Name}";
            settings[$"{key}:Kind"] = registry.Kind.ToString();
            settings[$"{key}:Endpoint"] = sandbox.EndpointOf(registry.Name).ToString();
            settings[$"{key}:AccessKey"] = registry.AccessKey;
            settings[$"{key}:SecretKey"] = registry.SecretKey;
            settings[$"{key}:ProjectId"] = registry.ProjectId;
            settings[$"{key}:NcrRegistry"] = registry.NcrRegistry;
        }
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(sandbox);
        builder.Services.AddHostedService<SandboxDemo>();
        return sandbox;
    }
}
