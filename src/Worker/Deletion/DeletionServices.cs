using Microsoft.Extensions.DependencyInjection;

namespace RegistryCleaner.Worker.Deletion;

public static class DeletionServices
{
    /// <summary>What the deletion consumers (and restore and reclaim, which judge commands alike) are built from.</summary>
    public static IServiceCollection AddDeletion(this IServiceCollection services)
    {
        services.AddSingleton<CommandValidator>();
        services.AddSingleton<DeletionReporter>();
        services.AddSingleton<DeletionService>();
        return services;
    }
}
