using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RegistryCleaner.Common.Messaging;
using RegistryCleaner.Worker.Configuration;
using RegistryCleaner.Worker.Messaging;
namespace RegistryCleaner.Worker.Protection;

public static class DeletionRulesServices
{
    /// <summary>
    /// Scopes, protected tags and publisher allow-lists (checked at start-up: an invalid pattern stops the worker, naming its key).
    /// </summary>
    public static IServiceCollection AddDeletionRules(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProtectionOptions>().Bind(configuration.GetSection(ProtectionOptions.Section)).ValidateErrors(o => o.Errors()).ValidateOnStart();
        services.AddSingleton(new WorkerIdentity(BrokerUser(configuration)));
        services.AddSingleton<DeletionRules>();
        return services;
    }

    private static string? BrokerUser(IConfiguration configuration)
    {
        var transport = configuration.GetSection(TransportOptions.Section).Get<TransportOptions>() ?? new TransportOptions();
        if (transport.Kind != TransportKind.RabbitMq)
            return null;
        try
        {
            return BrokerAddress.Parse(transport.RabbitMq.Uri, BrokerAddress.UriKey).Username;
        }
        catch (InvalidOperationException)
        {
            return null; // the messaging set-up reports the bad URI
        }
    }
}
