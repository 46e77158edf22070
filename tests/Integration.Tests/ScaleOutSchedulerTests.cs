using RegistryCleaner.Contracts;
using RegistryCleaner.Integration.Tests.Support;

namespace RegistryCleaner.Integration.Tests;

/// <summary>Quartz's clustered job store in PostgreSQL: however many workers run, each fire time of a schedule runs once.</summary>
public sealed class ScaleOutSchedulerTests(ClassVirtualHost<ScaleOutSchedulerTests> broker)
    : IClassFixture<ClassVirtualHost<ScaleOutSchedulerTests>>
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Two_workers_run_each_fire_time_once_and_when_one_is_killed_the_other_keeps_firing()
    {
        await using var database = await ScaleOutDatabase.CreateAsync();
        await using var sandbox = await ScaleOutSupport.SandboxAsync(repositories: 1, tagsPerRepository: 3);
        await using var observer = await ScaleOutObserver.StartAsync(broker.RabbitMqUri, copyRetentionCommands: true);
        var policy = $"cluster-{Guid.NewGuid():N}"[..20];
        var settings = SchedulerSettings(sandbox, database.ConnectionString, policy);
        await using var first = await WorkerProcess.StartAsync(settings);
        await using var second = await WorkerProcess.StartAsync(settings);
        var bothUp = DateTimeOffset.UtcNow;

        // A few fire times while both run, the second having joined and declared the schedule again.
        await ScaleOutSupport.WaitUntilAsync(() => FiredOf(observer, policy).Count(f => f.FireTime > bothUp) >= 4, TimeSpan.FromSeconds(40),
            () => $"too few fires while both workers ran:\n{Describe(FiredOf(observer, policy))}\n{first.Output}\n{second.Output}");
        first.Kill();
        var killedAt = DateTimeOffset.UtcNow;
        await ScaleOutSupport.WaitUntilAsync(() => FiredOf(observer, policy).Count(f => f.FireTime > killedAt) >= 3, TimeSpan.FromSeconds(40),
            () => $"the surviving worker should keep firing:\n{Describe(FiredOf(observer, policy))}\n{second.Output}");
        // Every run sent so far completes on the surviving worker. Checked before it stops: a stopping worker ends its consumers
        // before its scheduler, so a run sent during the stop waits in the queue for the next worker, as it should.
        var sent = FiredOf(observer, policy);
        await ScaleOutSupport.WaitUntilAsync(() => sent.All(f => RunsOf(observer, policy).Any(r => r.RunId == f.RunId)), TimeSpan.FromSeconds(20),
            () => "every run sent should be reported as completed; not reported:\n" + Describe(sent.Where(f => RunsOf(observer, policy).All(r => r.RunId != f.RunId))));
        await second.StopAsync(TimeSpan.FromSeconds(20));
        var fired = FiredOf(observer, policy);

        Assert.All(fired, f => Assert.NotNull(f.FireTime));
        Assert.True(fired.GroupBy(f => f.FireTime).All(g => g.Count() == 1), "a fire time was run more than once:\n" + Describe(fired));
        // While both workers ran, and as the second one joined and declared the schedule again, no fire time went missing.
        var whileBothUp = fired.Select(f => f.FireTime!.Value).Where(t => t > bothUp && t < killedAt).Order().ToList();
        Assert.True(whileBothUp.Count >= 3, "too few fires while both workers ran:\n" + Describe(fired));
        Assert.Equal(whileBothUp.Count, (int)((whileBothUp[^1] - whileBothUp[0]) / Every) + 1);
        Assert.All(RunsOf(observer, policy), r => Assert.Equal(RetentionRunStatus.Completed, r.Status));
    }

    [Fact]
    public async Task A_worker_without_create_rights_runs_on_the_schema_an_administrator_applied_from_the_shipped_file()
    {
        await using var database = await ScaleOutDatabase.CreateAsync();
        await database.ExecuteAsync(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Scheduling", "quartz-postgres.sql")));
        var limitedUser = await database.CreateUserWithoutCreateRightsAsync();
        await using var sandbox = await ScaleOutSupport.SandboxAsync(repositories: 1, tagsPerRepository: 1);
        await using var observer = await ScaleOutObserver.StartAsync(broker.RabbitMqUri);
        var policy = $"by-hand-{Guid.NewGuid():N}"[..20];
        var settings = SchedulerSettings(sandbox, limitedUser, policy);
        settings["Scheduling__Postgres__CreateSchema"] = "false";

        await using var worker = await WorkerProcess.StartAsync(settings);
        await ScaleOutSupport.WaitUntilAsync(() => RunsOf(observer, policy).Count > 0, TimeSpan.FromSeconds(20), () => worker.Output);
    }

    [Fact]
    public async Task A_restarted_worker_keeps_an_unchanged_schedule_replaces_a_changed_one_and_removes_one_no_longer_configured()
    {
        await using var database = await ScaleOutDatabase.CreateAsync();
        await using var sandbox = await ScaleOutSupport.SandboxAsync(repositories: 1, tagsPerRepository: 1);
        var (kept, changed, removed) = ($"kept-{Guid.NewGuid():N}"[..16], $"changed-{Guid.NewGuid():N}"[..16], $"removed-{Guid.NewGuid():N}"[..16]);
        var before = SchedulerSettings(sandbox, database.ConnectionString, kept);
        AddPolicy(before, changed, "0 0 3 * * ?");
        AddPolicy(before, removed, "0 0 4 * * ?");
        await using (var worker = await WorkerProcess.StartAsync(before))
        {
            await Eventually.TrueAsync(async () => (await database.CronTriggersAsync()).Count == 3, TimeSpan.FromSeconds(20), () => worker.Output);
            await worker.StopAsync(TimeSpan.FromSeconds(20));
        }

        var after = SchedulerSettings(sandbox, database.ConnectionString, kept);
        AddPolicy(after, changed, "0 30 5 * * ?");
        after["Logging__LogLevel__" + typeof(Worker.Retention.Scheduling.StoredSchedules).FullName] = "Information";
        await using (var worker = await WorkerProcess.StartAsync(after))
        {
            await ScaleOutSupport.WaitUntilAsync(() => worker.Output.Contains($"Updated the stored schedule of retention policy {changed}"),
                TimeSpan.FromSeconds(20), () => worker.Output);
            var stored = await database.CronTriggersAsync();
            Assert.Equal(new Dictionary<string, string> { [kept] = $"0/{Every.TotalSeconds} * * * * ?", [changed] = "0 30 5 * * ?" }, stored);
            Assert.DoesNotContain($"Updated the stored schedule of retention policy {kept}", worker.Output);
        }
    }

    private static void AddPolicy(Dictionary<string, string?> settings, string policy, string schedule)
    {
        settings[$"Retention__Policies__{policy}__Registry"] = ScaleOutSupport.Registry;
        settings[$"Retention__Policies__{policy}__Repositories__Include__0"] = "scale/app-000";
        settings[$"Retention__Policies__{policy}__KeepNewest"] = "1";
        settings[$"Retention__Policies__{policy}__DryRun"] = "true";
        settings[$"Retention__Policies__{policy}__Schedule"] = schedule;
    }

    private Dictionary<string, string?> SchedulerSettings(Sandbox.SandboxServer sandbox, string connectionString, string policy)
    {
        var settings = ScaleOutSupport.WorkerSettings(broker.RabbitMqUri, sandbox);
        settings["Scheduling__Store"] = "Postgres";
        settings["Scheduling__Postgres__ConnectionString"] = connectionString;
        settings["Scheduling__Postgres__CheckinInterval"] = "00:00:01";
        settings["Scheduling__Postgres__CheckinMisfireThreshold"] = "00:00:02";
        AddPolicy(settings, policy, $"0/{Every.TotalSeconds} * * * * ?");
        return settings;
    }

    private static string Describe(IEnumerable<ScaleOutObserver.ScheduledRun> fired) =>
        string.Join("\n", fired.OrderBy(f => f.FireTime).Select(f => $"fire time {f.FireTime:HH:mm:ss.fff}  run {f.RunId}"));

    private static List<ScaleOutObserver.ScheduledRun> FiredOf(ScaleOutObserver observer, string policy) =>
        observer.Scheduled.Where(f => f.Policy == policy).ToList();

    private static List<RetentionRunCompleted> RunsOf(ScaleOutObserver observer, string policy) =>
        observer.Runs.Where(r => r.Policy == policy).ToList();
}
