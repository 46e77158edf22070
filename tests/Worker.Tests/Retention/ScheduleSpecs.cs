using System.Threading.Channels;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RegistryCleaner.Contracts;
using RegistryCleaner.Sandbox;
using RegistryCleaner.Worker.Registries;
using RegistryCleaner.Worker.Retention.Scheduling;
using Xunit;
using RegistryKind = RegistryCleaner.Sandbox.RegistryKind;

namespace RegistryCleaner.Worker.Tests.Retention;

/// <summary>The real host: Quartz fires a policy's cron schedule, the job sends the command, the run is reported.</summary>
public sealed class ScheduleSpecs
{
    [Fact]
    public async Task A_short_schedule_really_fires_and_each_run_is_reported()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxSeed
        {
            Registries = [new SeedRegistry { Name = "oci", Kind = RegistryKind.Oci, Repositories = [new SeedRepository { Name = "team/app", Tags = [new SeedTag { Name = "v1", Image = "a", Created = DateTimeOffset.UtcNow }] }] }],
        });
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Registries:oci:Kind"] = "Oci",
            ["Registries:oci:Endpoint"] = sandbox.EndpointOf("oci").ToString(),
            ["Retention:Policies:every-second:Registry"] = "oci",
            ["Retention:Policies:every-second:Repositories:Include:0"] = "team/app",
            ["Retention:Policies:every-second:Schedule"] = "* * * * * ?",
            ["Retention:Policies:every-second:KeepNewest"] = "5",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddRegistries(builder.Configuration);
        builder.Services.AddScheduling(builder.Configuration);
        builder.Services.AddMessaging(builder.Configuration, x => x.AddConsumer<ReportCollector>());
        using var host = builder.Build();
        await host.StartAsync();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var first = await ReportCollector.Reports.Reader.ReadAsync(timeout.Token);
        var second = await ReportCollector.Reports.Reader.ReadAsync(timeout.Token);
        await host.StopAsync();

        Assert.Equal("every-second", first.Policy);
        Assert.Equal(RetentionRunStatus.Completed, first.Status);
        Assert.Equal(1, first.TagsScanned);
        Assert.Equal(0, first.TagsToDelete);
        Assert.NotEqual(first.RunId, second.RunId);
        Assert.Equal(["v1"], sandbox.State.Tags("oci", "team/app"));
    }

    public sealed class ReportCollector : IConsumer<RetentionRunCompleted>
    {
        public static readonly Channel<RetentionRunCompleted> Reports = Channel.CreateUnbounded<RetentionRunCompleted>();

        public async Task Consume(ConsumeContext<RetentionRunCompleted> context) => await Reports.Writer.WriteAsync(context.Message);
    }
}
