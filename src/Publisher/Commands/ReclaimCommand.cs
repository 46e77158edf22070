using System.CommandLine;
using RegistryCleaner.Common.Validation;
using RegistryCleaner.Contracts;
using RegistryCleaner.Publisher.Messaging;
using RegistryCleaner.Publisher.Output;

namespace RegistryCleaner.Publisher.Commands;

public static class ReclaimCommand
{
    public static Command Create() => new("reclaim", "Free the space of deleted images once their grace window (Reclaim__After) has passed") { Run() };

    private static Command Run()
    {
        var common = new CommonOptions();
        var registry = new Option<string?>("--registry") { Description = "Only this configured registry (default: every registry)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Report what would be reclaimed and the bytes it would free; delete nothing" };
        var command = new Command("run",
            "Reclaim now: delete the manifests whose tags were deleted longer ago than Reclaim__After and that no tag points to, with their referrers. "
            + "Afterwards, plain 'registry garbage-collect' frees their blobs. With --wait: exit 0 when the run succeeded, 1 when it failed, 2 on timeout or bad input.")
        {
            registry, dryRun,
        };
        common.AddTo(command, waits: true);
        command.Validators.Add(result =>
        {
            if (result.GetValue(registry) is { } name && !NameRules.IsRegistryName(name))
                result.AddError($"--registry must be a configured registry's name (letters, digits, '_', '-', '.', at most {NameRules.MaxRegistryName} characters), not a URL.");
        });
        command.SetAction(async (parse, ct) =>
        {
            var settings = common.SettingsOf(parse);
            var runId = Guid.NewGuid();
            await using var bus = await PublisherBus.ConnectAsync(settings.Broker, listen: settings.Wait, TimeSpan.FromSeconds(30), ct);
            await bus.SendAsync(QueueNames.Reclaim, new ReclaimDigests
            {
                RunId = runId, Registry = parse.GetValue(registry), DryRun = parse.GetValue(dryRun), RequestedBy = Environment.UserName,
            }, ct);
            if (!settings.Wait)
            {
                Console.Error.WriteLine($"Sent reclaim run {runId}.");
                return ExitCodes.Success;
            }
            return await WaitAsync(bus, runId, settings, ct);
        });
        return command;
    }

    private static async Task<int> WaitAsync(PublisherBus bus, Guid runId, CommandSettings settings, CancellationToken ct)
    {
        var lines = new JsonLines(Console.Out);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(settings.Timeout);
        try
        {
            await foreach (var e in bus.JournalEvents.ReadAllAsync(deadline.Token))
            {
                switch (e)
                {
                    case DigestReclaimed d when d.RunId == runId:
                        if (settings.Json)
                            lines.Write(nameof(DigestReclaimed), d);
                        else
                            Console.Out.WriteLine($"{(d.DryRun ? "would reclaim" : "reclaimed"),-14} {d.Registry}/{d.Repository}@{d.Digest}  {d.BytesFreed:N0} B"
                                + $"  tags: {string.Join(",", d.Tags)}{(d.AlsoDeleted.Count > 0 ? $"  with {d.AlsoDeleted.Count} referrer/platform manifest(s)" : "")}");
                        break;
                    case ReclaimCompleted c when c.RunId == runId:
                        if (settings.Json)
                            lines.Write(nameof(ReclaimCompleted), c);
                        else
                            Console.Out.WriteLine($"Reclaim run {runId}{(c.DryRun ? " (dry run)" : "")}: {(c.Succeeded ? "done" : "FAILED")}, {c.Reclaimed} reclaimed, "
                                + $"{c.BytesFreed:N0} bytes freed for garbage collection, {c.Kept} kept (tagged again), {c.Skipped} taken by another worker, {c.Failed} failed"
                                + (c.Detail is null ? "" : $"{Environment.NewLine}  {c.Detail}"));
                        return c.Succeeded ? ExitCodes.Success : ExitCodes.Failed;
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }
        Console.Error.WriteLine($"Reclaim run {runId} did not finish within {settings.Timeout.TotalSeconds:F0} s; it goes on in the worker.");
        return ExitCodes.TimeoutOrUsage;
    }
}
