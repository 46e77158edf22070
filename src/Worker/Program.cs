using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RegistryCleaner.Worker.Hosting;

try
{
    var builder = Host.CreateApplicationBuilder(args);
    builder.Services.AddRegistries(builder.Configuration);
    builder.Services.AddScheduling(builder.Configuration);
    builder.Services.AddMessaging(builder.Configuration);
    await builder.Build().RunAsync();
    return 0;
}
catch (Exception e) when (e is OptionsValidationException or InvalidOperationException)
{
    Console.Error.WriteLine("The worker cannot start: its configuration is invalid.");
    foreach (var line in e is OptionsValidationException v ? v.Failures : [e.Message])
        Console.Error.WriteLine("  " + line);
    return 1;
}
