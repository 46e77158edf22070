using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RegistryCleaner.Common.Messaging;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Deletion;
using RegistryCleaner.Worker.Hostile;
using RegistryCleaner.Worker.Journal;
using RegistryCleaner.Worker.Messaging;
using RegistryCleaner.Worker.PlainJson;
using RegistryCleaner.Worker.Reclaim;
using RegistryCleaner.Worker.Retention;
using RegistryCleaner.Worker.Retention.Scheduling;

namespace RegistryCleaner.Worker;

public static class MessagingServices
{
    /// <summary>The worker's own queues: every worker process consumes from the same ones, as competing consumers.</summary>
    public static readonly IReadOnlyList<string> Queues =
        [QueueNames.DeleteTag, QueueNames.DeleteRepository, QueueNames.RunRetentionPolicy, QueueNames.RetentionPolicies, QueueNames.Journal, QueueNames.RestoreTag, QueueNames.Reclaim];

    /// <summary>The deletion consumers on the transport that <c>Transport:Kind</c> names: in-memory by default, or RabbitMQ.</summary>
    public static IServiceCollection AddMessaging(this IServiceCollection services, IConfiguration configuration,
        Action<IBusRegistrationConfigurator>? configure = null)
    {
        var transport = configuration.GetSection(TransportOptions.Section).Get<TransportOptions>() ?? new TransportOptions();
        services.AddOptions<ConsumerOptions>().Bind(configuration.GetSection(ConsumerOptions.Section))
            .Validate(o => o.ConcurrentMessageLimit is >= 1 and <= 10_000, "Consumers:ConcurrentMessageLimit must be between 1 and 10000.")
            .ValidateOnStart();
        var poison = services.AddPoisonGuard(configuration);
        services.AddDeletion();
        services.TryAddReclaimOptions(configuration);
        services.TryAddMemoryJournal(configuration);
        services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            o.WaitUntilStarted = true;
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });

        var broker = transport.Kind == TransportKind.RabbitMq ? BrokerAddress.FromConfiguration(configuration) : null;
        if (broker is not null && transport.RabbitMq.QuorumQueues)
        {
            // Registered before the bus, so it runs (and can stop the worker) before any queue is declared.
            services.AddHostedService(sp => new QuorumQueueCheck(broker, [.. Queues, .. Queues.Select(q => q + "_error")],
                sp.GetRequiredService<ILogger<QuorumQueueCheck>>()));
        }
        if (broker is not null)
        {
            services.AddSingleton(sp => new EventsExchangePublisher(broker, sp.GetRequiredService<ILogger<EventsExchangePublisher>>()));
            services.AddHostedService<EventsExchangeDeclaration>();
        }

        services.AddMassTransit(x =>
        {
            x.DisableUsageTelemetry();
            x.SetKebabCaseEndpointNameFormatter();
            x.AddDeletionConsumers();
            configure?.Invoke(x);
            if (broker is not null)
            {
                if (transport.RabbitMq.QuorumQueues)
                    x.AddConfigureEndpointsCallback((_, endpoint) => (endpoint as IRabbitMqReceiveEndpointConfigurator)?.SetQuorumQueue());
                x.UsingRabbitMq((context, cfg) =>
                {
                    broker.Configure(cfg);
                    cfg.PrefetchCount = transport.RabbitMq.PrefetchCount;
                    cfg.ConfigureSend(s => s.UseFilter(new SchedulingFireTime.Stamp()));
                    cfg.UseHostileInputGuards(context, poison);
                    cfg.UsePlainJsonCommands(context);
                    cfg.UsePlainJsonEvents(context);
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                x.UsingInMemory((context, cfg) =>
                {
                    cfg.ConfigureSend(s => s.UseFilter(new SchedulingFireTime.Stamp()));
                    cfg.UseHostileInputGuards(context, poison);
                    cfg.ConfigureEndpoints(context);
                });
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
        x.AddConsumer<JournalQueryConsumer, JournalQueryConsumerDefinition>();
        x.AddConsumer<Restore.RestoreTagConsumer, Restore.RestoreTagConsumerDefinition>();
        x.AddConsumer<Reclaim.ReclaimConsumer, Reclaim.ReclaimConsumerDefinition>();
    }
}
