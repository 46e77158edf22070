using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RegistryCleaner.Worker.Hostile;

public static class HostileInputServices
{
    /// <summary>Binds and checks <c>Poison:*</c> at start-up; returns the options the bus is configured with.</summary>
    public static PoisonOptions AddPoisonGuard(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PoisonOptions>().Bind(configuration.GetSection(PoisonOptions.Section))
            .Validate(o => o.MaxHandlings is >= 1 and <= 100, "Poison:MaxHandlings must be between 1 and 100.")
            .Validate(o => o.MaxDeliveries is >= 2 and <= 1000, "Poison:MaxDeliveries must be between 2 and 1000.")
            .Validate(o => o.TrackedMessages is >= 100 and <= 1_000_000, "Poison:TrackedMessages must be between 100 and 1000000.")
            .ValidateOnStart();
        var options = configuration.GetSection(PoisonOptions.Section).Get<PoisonOptions>() ?? new PoisonOptions();
        services.AddSingleton(new PoisonTracker(Math.Max(options.TrackedMessages, 1)));
        return options;
    }

    /// <summary>Bounded headers on everything the bus sends; the poison guard and the large-message gate on every receive endpoint.</summary>
    public static void UseHostileInputGuards(this IBusFactoryConfigurator cfg, IBusRegistrationContext context, PoisonOptions options)
    {
        var bounded = new BoundedSendHeaders();
        cfg.ConnectSendObserver(bounded);
        cfg.ConnectPublishObserver(bounded);
        // The gate first: a message waiting for its turn has not started being handled, so the guard does not count it.
        cfg.ConnectEndpointConfigurationObserver(new LargeMessageGate());
        cfg.ConnectEndpointConfigurationObserver(new PoisonGuard(context.GetRequiredService<PoisonTracker>(), options,
            context.GetRequiredService<ILoggerFactory>().CreateLogger<PoisonGuard>()));
    }
}
