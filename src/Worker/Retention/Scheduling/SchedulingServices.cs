using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Quartz;
using RegistryCleaner.Worker.Registries;

namespace RegistryCleaner.Worker.Retention.Scheduling;

public static class SchedulingServices
{
    /// <summary>The name every worker's scheduler shares in the PostgreSQL store: the cluster is all schedulers of that name.</summary>
    public const string ClusterName = "registry-cleaner";

    /// <summary>Retention policies, checked now (a bad one stops start-up), and a Quartz trigger for each one with a schedule,
    /// kept in memory or, with <c>Scheduling:Store=Postgres</c>, in Quartz's clustered job store, so that each fire time runs
    /// on exactly one of the workers. Without <paramref name="startScheduler"/> the triggers exist but never fire (for tests
    /// that drive runs by hand).</summary>
    public static IServiceCollection AddScheduling(this IServiceCollection services, IConfiguration configuration, bool startScheduler = true)
    {
        var registries = configuration.GetSection(RegistriesOptions.Section).GetChildren().Select(s => s.Key).ToList();
        var policies = RetentionPolicies.Load(configuration, registries);
        var scheduling = SchedulingOptions.Load(configuration);
        services.AddSingleton(new RetentionPolicies(policies));
        services.AddSingleton(DeletionSpools.Start(configuration));
        services.AddQuartz(q =>
        {
            if (scheduling.Store == SchedulingStore.Postgres)
                UseClusteredPostgres(q, scheduling.Postgres);
            q.AddJobMiddleware(new SchedulingFireTime());
            foreach (var policy in policies.Values.Where(p => p.Schedule is not null))
            {
                q.AddJob<RetentionJob>(j => j.WithIdentity(RetentionJob.JobKey(policy.Name)).UsingJobData(RetentionJob.PolicyKey, policy.Name));
                q.AddTrigger(t => t
                    .ForJob(RetentionJob.JobKey(policy.Name))
                    .WithIdentity(RetentionJob.TriggerKey(policy.Name))
                    .WithCronSchedule(RetentionJob.Schedule(policy)));
            }
        });
        // A worker that starts must not replace what another worker of the cluster may have acquired: StoredSchedules
        // replaces only a schedule that changed.
        services.Configure<QuartzOptions>(o => o.Scheduling.IgnoreDuplicates = true);
        if (startScheduler)
        {
            services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
            if (scheduling.Store == SchedulingStore.Postgres)
            {
                // After the scheduler: the store outlives configuration, so changed and removed schedules are applied to it.
                services.AddHostedService(sp => new StoredSchedules(sp.GetRequiredService<ISchedulerFactory>(),
                    policies.Values.Where(p => p.Schedule is not null).ToList(), sp.GetRequiredService<ILogger<StoredSchedules>>()));
            }
        }
        return services;
    }

    private static void UseClusteredPostgres(IQuartzBuilder q, PostgresSchedulingOptions postgres)
    {
        q.ConfigureScheduler(s => s.InstanceName = ClusterName);
        q.UsePersistentStore(store =>
        {
            store.UsePostgres(NpgsqlFactory.Instance, postgres.ConnectionString!);
            store.UseClustering(c =>
            {
                c.CheckinInterval = postgres.CheckinInterval;
                c.CheckinMisfireThreshold = postgres.CheckinMisfireThreshold;
            });
            // The job data is one policy name: kept as text, readable in the database and free of serializer versions.
            store.ConfigureStore(o => o.StoreJobDataAsStrings = true);
            if (postgres.CreateSchema)
                store.ProvisionSchema();
        });
    }
}
