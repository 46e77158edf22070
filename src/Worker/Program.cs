using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RegistryCleaner.Worker;
using RegistryCleaner.Worker.Sandbox;

var sandboxed = SandboxMode.Requested(args);
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = SandboxMode.WithoutFlag(args),
    ContentRootPath = AppContext.BaseDirectory,
});
await using var sandbox = sandboxed ? await SandboxMode.StartAsync(builder) : null;
IHost host;
try
{
    builder.AddWorker(x =>
    {
        if (sandboxed)
            x.AddConsumer<ConsoleObserver>();
    });
    host = builder.Build();
    await host.StartAsync();
}
catch (Exception e) when (e is OptionsValidationException or InvalidOperationException)
{
    Console.Error.WriteLine("The worker cannot start: its configuration is invalid.");
    foreach (var line in e is OptionsValidationException v ? v.Failures : [e.Message])
        Console.Error.WriteLine("  " + line);
    return 1;
}
await host.WaitForShutdownAsync();
host.Dispose();
return 0;
