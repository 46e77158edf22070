using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RegistryCleaner.Worker.Reclaim;

public static class ReclaimServices
{
    /// <summary>Reclaim's options and its stored schedule. Register after the scheduler: the stored trigger follows <c>Reclaim:Schedule</c>.</summary>
    public static IServiceCollection AddReclaim(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(ReclaimOptions.Load(configuration));
        services.AddHostedService<ReclaimSchedule>();
        return services;
    }

    /// <summary>For hosts that never called <see cref="AddReclaim"/> (the test harnesses): the options the consumer needs.</summary>
    public static void TryAddReclaimOptions(this IServiceCollection services, IConfiguration configuration) =>
        services.TryAddSingleton(_ => ReclaimOptions.Load(configuration));
}
