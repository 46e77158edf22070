using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using RegistryCleaner.Contracts;
using RegistryCleaner.Publisher.Messaging;
using RegistryCleaner.Publisher.Output;

namespace RegistryCleaner.Publisher.Commands;

public static class RetentionCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static Command Create() => new("retention", "Run retention policies and list them") { Run(), List() };

    private static Command Run()
    {
        var common = new CommonOptions();
        var policy = new Argument<string>("policy") { Description = "The policy's name (Retention__Policies__<name>)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Plan and report only; delete nothing" };
        var command = new Command("run", "Run a policy now and print its plan; with --wait, also the outcome of every deletion") { policy, dryRun };
        common.AddTo(command, waits: true);
        command.SetAction(async (parse, ct) =>
        {
            var settings = common.SettingsOf(parse);
            var printer = new ResultPrinter(Console.Out, settings.Json);
            await using var bus = await PublisherBus.ConnectAsync(settings.Broker, listen: true, TimeSpan.FromSeconds(30), ct);
            var runId = Guid.NewGuid();
            await bus.SendAsync(QueueNames.RunRetentionPolicy,
                new RunRetentionPolicy { RunId = runId, Policy = parse.GetValue(policy)!, DryRun = parse.GetValue(dryRun), RequestedBy = Environment.UserName }, ct);

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(settings.Timeout);
            try
            {
                var report = await NextRunAsync(bus, runId, timeout.Token);
                PrintPlan(report, settings.Json);
                if (report.Status != RetentionRunStatus.Completed)
                    return ExitCodes.Failed;
                if (!settings.Wait || report.DeletionsSent == 0)
                    return ExitCodes.Success;

                var failed = 0;
                for (var received = 0; received < report.DeletionsSent;)
                {
                    var result = await bus.Results.ReadAsync(timeout.Token);
                    if ((result.Succeeded is { } succeeded ? succeeded.RunId : result.Failed?.RunId) != runId)
                        continue;
                    received++;
                    failed += result.IsSuccess ? 0 : 1;
                    printer.Print(result);
                }
                Console.Error.WriteLine($"{report.DeletionsSent - failed} deleted or already absent, {failed} failed.");
                return failed == 0 ? ExitCodes.Success : ExitCodes.Failed;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                Console.Error.WriteLine($"Run {runId} did not finish within {settings.Timeout.TotalSeconds:F0} s.");
                return ExitCodes.TimeoutOrUsage;
            }
        });
        return command;
    }

    private static Command List()
    {
        var common = new CommonOptions();
        var command = new Command("list", "Show the worker's policies and their next fire times");
        common.AddTo(command, waits: false);
        command.SetAction(async (parse, ct) =>
        {
            await using var bus = await PublisherBus.ConnectAsync(common.BrokerOf(parse), listen: false, TimeSpan.FromSeconds(30), ct);
            var list = await bus.RequestAsync<ListRetentionPolicies, RetentionPolicyList>(
                QueueNames.RetentionPolicies, new ListRetentionPolicies { RequestId = Guid.NewGuid() }, TimeSpan.FromSeconds(30), ct);
            foreach (var policy in list.Policies)
            {
                if (parse.GetValue(common.Json))
                {
                    Console.Out.WriteLine(JsonSerializer.Serialize(policy, Json));
                    continue;
                }
                var next = policy.NextFireTime is { } at ? at.ToString("yyyy-MM-dd HH:mm:ss 'UTC'") : "manual only";
                Console.Out.WriteLine($"{policy.Name,-20} {policy.Registry,-12} {(policy.DryRun ? "dry run" : "deletes"),-8} next: {next}  schedule: {policy.Schedule ?? "-"} {policy.TimeZone}");
                Console.Out.WriteLine($"{"",-20} {policy.Rules}");
            }
            if (list.Policies.Count == 0 && !parse.GetValue(common.Json))
                Console.Out.WriteLine("No retention policies are configured.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<RetentionRunCompleted> NextRunAsync(PublisherBus bus, Guid runId, CancellationToken ct)
    {
        while (true)
        {
            var report = await bus.RetentionRuns.ReadAsync(ct);
            if (report.RunId == runId)
                return report;
        }
    }

    private static void PrintPlan(RetentionRunCompleted report, bool json)
    {
        if (!json)
        {
            RetentionPlanText.Write(Console.Out, report);
            return;
        }
        Console.Out.WriteLine(JsonSerializer.Serialize(report, Json));
        foreach (var pattern in report.UnmatchedPatterns)
            Console.Error.WriteLine(RetentionPlanText.Warning(pattern));
    }
}
