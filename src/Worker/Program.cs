using Microsoft.Extensions.Hosting;
using RegistryCleaner.Worker.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddRegistries(builder.Configuration);
builder.Services.AddMessaging(builder.Configuration);
await builder.Build().RunAsync();
