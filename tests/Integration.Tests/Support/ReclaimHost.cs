using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker;
using RegistryCleaner.Worker.Journal;
using RegistryCleaner.Worker.Retention.Scheduling;

namespace RegistryCleaner.Integration.Tests.Support;

/// <summary>
/// A worker in this process, built as Program.cs builds it (journal included), on a virtual host of the test's own, with a
/// grace window of zero so that a reclaim takes what was just deleted. Stopping and starting it again is a worker restart.
/// </summary>
public sealed class ReclaimHost : IAsyncDisposable
{
    private readonly IHost _host;

    private ReclaimHost(IHost host) => _host = host;

    public IJournalStore Journal => _host.Services.GetRequiredService<IJournalStore>();

    public static async Task<ReclaimHost> StartAsync(string brokerUri, IReadOnlyDictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var values = new Dictionary<string, string?>
        {
            ["Transport:Kind"] = "RabbitMq",
            ["Transport:RabbitMq:Uri"] = brokerUri,
            ["Retry:BaseDelay"] = "00:00:00.100",
            ["Journal:Store"] = "Memory",
            ["Reclaim:After"] = "0",
            ["Reclaim:Schedule"] = "off",
        };
        foreach (var (key, value) in settings)
            values[key] = value;
        builder.Configuration.AddInMemoryCollection(values);
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddRegistries(builder.Configuration);
        builder.Services.AddScheduling(builder.Configuration);
        builder.Services.AddJournal(builder.Configuration);
        builder.Services.AddMessaging(builder.Configuration);
        var host = builder.Build();
        await host.StartAsync();
        return new ReclaimHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}

public static class ReclaimRuns
{
    /// <summary>Runs a reclaim as <c>registry-cleaner reclaim run --wait</c> does, and returns its completion.</summary>
    public static async Task<ReclaimCompleted> ReclaimAsync(this JournalObserver observer, string? registry, bool dryRun = false)
    {
        var command = new ReclaimDigests { RunId = Guid.NewGuid(), Registry = registry, DryRun = dryRun, RequestedBy = "tests" };
        await observer.SendAsync(QueueNames.Reclaim, command);
        return await observer.EventAsync<ReclaimCompleted>(c => c.RunId == command.RunId, TimeSpan.FromSeconds(120));
    }
}
