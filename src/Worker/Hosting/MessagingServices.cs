using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RegistryCleaner.Worker.Consumers;
using RegistryCleaner.Worker.Retention;
using RegistryCleaner.Worker.Validation;

namespace RegistryCleaner.Worker.Hosting;

public static class MessagingServices
{
    /// <summary>The deletion consumers on the transport that <c>Transport:Kind</c> names: in-memory by default, or RabbitMQ.</summary>
    public static IServiceCollection AddMessaging(this IServiceCollection services, IConfiguration configuration,
        Action<IBusRegistrationConfigurator>? configure = null)
    {
        var transport = configuration.GetSection(TransportOptions.Section).Get<TransportOptions>() ?? new TransportOptions();
        services.AddOptions<ConsumerOptions>().Bind(configuration.GetSection(ConsumerOptions.Section))
            .Validate(o => o.ConcurrentMessageLimit is >= 1 and <= 10_000, "Consumers:ConcurrentMessageLimit must be between 1 and 10000.")
            .ValidateOnStart();
        services.AddSingleton<CommandValidator>();
        services.AddSingleton<DeletionReporter>();
        services.AddSingleton<DeletionCommandHandler>();
        services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            o.WaitUntilStarted = true;
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });

        services.AddMassTransit(x =>
        {
            x.DisableUsageTelemetry();
            x.SetKebabCaseEndpointNameFormatter();
            x.AddDeletionConsumers();
            configure?.Invoke(x);
            switch (transport.Kind)
            {
                case TransportKind.RabbitMq:
                    var broker = BrokerAddress.Parse(transport.RabbitMq.Uri, "Transport:RabbitMq:Uri");
                    x.UsingRabbitMq((context, cfg) =>
                    {
                        broker.Configure(cfg);
                        cfg.PrefetchCount = transport.RabbitMq.PrefetchCount;
                        cfg.ConfigureEndpoints(context);
                    });
                    break;
                default:
                    x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
                    break;
            }
        });
        return services;
    }

    public static void AddDeletionConsumers(this IBusRegistrationConfigurator x)
    {
        x.AddConsumer<DeleteTagConsumer, DeleteTagConsumerDefinition>();
        x.AddConsumer<DeleteRepositoryConsumer, DeleteRepositoryConsumerDefinition>();
        x.AddConsumer<RetentionRunConsumer, RetentionRunConsumerDefinition>();
        x.AddConsumer<RetentionPoliciesConsumer, RetentionPoliciesConsumerDefinition>();
    }
}
