using MassTransit;
using RegistryCleaner.Contracts;
using RegistryCleaner.Integration.Tests.Support;

namespace RegistryCleaner.Integration.Tests;

/// <summary>Quartz's clustered job store in PostgreSQL: however many workers run, each fire time of a schedule runs once.</summary>
public sealed class ScaleOutSchedulerTests
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Two_workers_run_each_fire_time_once_and_when_one_is_killed_the_other_keeps_firing()
    {
        await using var database = await ScaleOutDatabase.CreateAsync();
        await using var sandbox = await ScaleOutSupport.SandboxAsync(repositories: 1, tagsPerRepository: 3);
        await using var observer = await ScaleOutObserver.StartAsync(TestServices.RabbitMqUri);
        var policy = $"cluster-{Guid.NewGuid():N}"[..20];
        var settings = SchedulerSettings(sandbox, database.ConnectionString, policy);
        await using var first = await WorkerProcess.StartAsync(settings);
        await using var second = await WorkerProcess.StartAsync(settings);

        await Task.Delay(TimeSpan.FromSeconds(12));
        first.Kill();
        var killedAt = DateTimeOffset.UtcNow;
        await ScaleOutSupport.WaitUntilAsync(() => RunsOf(observer, policy).Count(r => r.StartedAt > killedAt) >= 4, TimeSpan.FromSeconds(40),
            () => $"the surviving worker should keep firing; runs after the kill: {RunsOf(observer, policy).Count(r => r.StartedAt > killedAt)}\n{second.Output}");
        await second.StopAsync(TimeSpan.FromSeconds(20));

        var runs = RunsOf(observer, policy).OrderBy(FireTime).ToList();
        Assert.All(runs, r => Assert.Equal(RetentionRunStatus.Completed, r.Status));
        Assert.Equal(runs.Count, runs.Select(r => r.RunId).Distinct().Count());
        // Until the kill, every fire is on time, so each fire time has exactly one run, whichever worker fired it,
        // including while the second worker joined and declared the schedule again.
        var beforeKill = runs.Where(r => FireTime(r) < killedAt).ToList();
        Assert.True(beforeKill.Select(FireTime).Distinct().Count() == beforeKill.Count, "a fire time ran more than once:\n" + Describe(runs));
        Assert.True(beforeKill.Count >= 5, $"{beforeKill.Count} runs before the kill:\n" + Describe(runs));
        // The fire the killed worker held is run late by the survivor; never twice.
        var fireTimes = (int)((FireTime(runs[^1]) - FireTime(runs[0])) / Every) + 1;
        Assert.True(runs.Count <= fireTimes, $"{runs.Count} runs for {fireTimes} fire times:\n" + Describe(runs));
    }

    [Fact]
    public async Task A_worker_without_create_rights_runs_on_the_schema_an_administrator_applied_from_the_shipped_file()
    {
        await using var database = await ScaleOutDatabase.CreateAsync();
        await database.ExecuteAsync(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Scheduling", "quartz-postgres.sql")));
        var limitedUser = await database.CreateUserWithoutCreateRightsAsync();
        await using var sandbox = await ScaleOutSupport.SandboxAsync(repositories: 1, tagsPerRepository: 1);
        await using var observer = await ScaleOutObserver.StartAsync(TestServices.RabbitMqUri);
        var policy = $"by-hand-{Guid.NewGuid():N}"[..20];
        var settings = SchedulerSettings(sandbox, limitedUser, policy);
        settings["Scheduling__Postgres__CreateSchema"] = "false";

        await using var worker = await WorkerProcess.StartAsync(settings);
        await ScaleOutSupport.WaitUntilAsync(() => RunsOf(observer, policy).Count > 0, TimeSpan.FromSeconds(20), () => worker.Output);
    }

    private static Dictionary<string, string?> SchedulerSettings(Sandbox.SandboxServer sandbox, string connectionString, string policy)
    {
        var settings = ScaleOutSupport.WorkerSettings(TestServices.RabbitMqUri, sandbox);
        settings["Scheduling__Store"] = "Postgres";
        settings["Scheduling__Postgres__ConnectionString"] = connectionString;
        settings["Scheduling__Postgres__CheckinInterval"] = "00:00:01";
        settings["Scheduling__Postgres__CheckinMisfireThreshold"] = "00:00:02";
        settings[$"Retention__Policies__{policy}__Registry"] = ScaleOutSupport.Registry;
        settings[$"Retention__Policies__{policy}__Repositories__Include__0"] = "scale/app-000";
        settings[$"Retention__Policies__{policy}__KeepNewest"] = "1";
        settings[$"Retention__Policies__{policy}__DryRun"] = "true";
        settings[$"Retention__Policies__{policy}__Schedule"] = $"0/{Every.TotalSeconds} * * * * ?";
        return settings;
    }

    private static string Describe(IEnumerable<RetentionRunCompleted> runs) =>
        string.Join("\n", runs.Select(r => $"fire time {FireTime(r):HH:mm:ss}  started {r.StartedAt:HH:mm:ss.fff}  run {r.RunId}"));

    private static List<RetentionRunCompleted> RunsOf(ScaleOutObserver observer, string policy) =>
        observer.Runs.Where(r => r.Policy == policy).ToList();

    /// <summary>
    /// The fire time a run belongs to. The job makes the RunId (a MassTransit NewId, which carries the time it was made) the
    /// moment its trigger fires, so that time falls just after the fire time, whatever the delay before a worker consumes the run.
    /// </summary>
    private static DateTimeOffset FireTime(RetentionRunCompleted run)
    {
        var created = new DateTimeOffset(DateTime.SpecifyKind(run.RunId.ToNewId().Timestamp, DateTimeKind.Utc));
        var every = (long)Every.TotalMilliseconds;
        return DateTimeOffset.FromUnixTimeMilliseconds(created.ToUnixTimeMilliseconds() / every * every);
    }
}
