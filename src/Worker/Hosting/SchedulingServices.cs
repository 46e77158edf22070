using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using RegistryCleaner.Worker.Jobs;
using RegistryCleaner.Worker.Registries;
using RegistryCleaner.Worker.Retention;

namespace RegistryCleaner.Worker.Hosting;

public static class SchedulingServices
{
    /// <summary>Retention policies, checked now (a bad one stops start-up), and a Quartz trigger for each one with a schedule.
    /// Without <paramref name="startScheduler"/> the triggers exist but never fire (for tests that drive runs by hand).</summary>
    public static IServiceCollection AddScheduling(this IServiceCollection services, IConfiguration configuration, bool startScheduler = true)
    {
        var registries = configuration.GetSection(RegistriesOptions.Section).GetChildren().Select(s => s.Key).ToList();
        var policies = RetentionPolicies.Load(configuration, registries);
        services.AddSingleton(new RetentionPolicies(policies));
        services.AddQuartz(q =>
        {
            foreach (var policy in policies.Values.Where(p => p.Schedule is not null))
            {
                q.AddJob<RetentionJob>(j => j.WithIdentity(RetentionJob.JobKey(policy.Name)).UsingJobData(RetentionJob.PolicyKey, policy.Name));
                q.AddTrigger(t => t
                    .ForJob(RetentionJob.JobKey(policy.Name))
                    .WithIdentity(RetentionJob.TriggerKey(policy.Name))
                    .WithCronSchedule(policy.Schedule!, c => c.InTimeZone(policy.TimeZone).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing)));
            }
        });
        if (startScheduler)
            services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }
}
