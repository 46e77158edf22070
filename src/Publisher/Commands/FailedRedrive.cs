using System.CommandLine;
using RegistryCleaner.Publisher.Failed;
using RegistryCleaner.Publisher.Messaging;

namespace RegistryCleaner.Publisher.Commands;

/// <summary><c>failed redrive</c>: send failed commands back to the queue they failed in; with --wait, wait for their new results.</summary>
public static class FailedRedrive
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var filters = new FailedFilters();
        var all = new Option<bool>("--all") { Description = "Every failed command (of the --queue given, else of every command queue)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be re-driven; move nothing" };
        var force = new Option<bool>("--force") { Description = "Also re-drive commands moved aside as poison (their handling kept killing the worker's connection or process)" };
        var command = new Command("redrive",
            "Send failed commands back to their queue (--all, or chosen with --request, --registry, --failure). Each leaves the _error queue only "
            + "after the broker confirmed its copy; with --wait, exit 0 when all then succeed, 1 when some fail again, 2 on timeout")
        {
            all, dryRun, force,
        };
        filters.AddTo(command);
        common.AddTo(command, waits: true);
        command.Validators.Add(result =>
        {
            var chosen = result.GetValue(filters.Request) is { Length: > 0 } || result.GetValue(filters.Registry) is { Length: > 0 }
                || result.GetValue(filters.Failure) is { Length: > 0 };
            if (result.GetValue(all) == chosen)
                result.AddError("Say which commands to re-drive: --all, or --request ID (or --registry / --failure), not both.");
        });
        command.SetAction(async (parse, ct) =>
        {
            var settings = common.SettingsOf(parse);
            var wait = settings.Wait && !parse.GetValue(dryRun);
            var selected = filters.Of(parse);
            var printer = new FailedPrinter(settings.Json);
            // Bound before anything is re-driven, so no result of a re-driven command can be missed.
            await using var bus = wait ? await PublisherBus.ConnectAsync(settings.Broker, listen: true, TimeSpan.FromSeconds(30), ct) : null;
            await using var queues = await ErrorQueues.ConnectAsync(settings.Broker, ct);

            var moved = new List<FailedMessage>();
            var unreadable = 0;
            var poison = 0;
            foreach (var queue in filters.QueuesOf(parse))
            {
                if (parse.GetValue(dryRun))
                {
                    await foreach (var message in queues.ListAsync(queue, ct))
                    {
                        if (Choose(message))
                        {
                            printer.Print("WouldRedrive", message);
                            moved.Add(message);
                        }
                    }
                    continue;
                }
                await queues.RedriveAsync(queue, Choose, message =>
                {
                    printer.Print("Redriven", message);
                    moved.Add(message);
                }, TimeProvider.System, ct);
            }

            if (poison > 0)
                Console.Error.WriteLine($"{poison} poison command(s) stay in their _error queue; re-drive them with --force once what killed their handling is fixed.");
            if (unreadable > 0)
                Console.Error.WriteLine($"{unreadable} message(s) are not readable commands and stay in their _error queue; `failed list` shows them.");
            if (moved.Count == 0)
            {
                Console.Error.WriteLine(parse.GetValue(all) ? "Nothing to re-drive." : "No failed command matches.");
                return parse.GetValue(all) ? ExitCodes.Success : ExitCodes.Failed;
            }
            if (!settings.Json)
                Console.Out.WriteLine(parse.GetValue(dryRun) ? $"Would re-drive {moved.Count} command(s)." : $"Re-drove {moved.Count} command(s).");
            return bus is null ? ExitCodes.Success : await WaitAsync(bus, moved, settings, ct);

            bool Choose(FailedMessage message)
            {
                if (!selected(message))
                    return false;
                if (!message.Readable)
                {
                    unreadable++;
                    return false;
                }
                if (message.Poison && !parse.GetValue(force))
                {
                    poison++;
                    return false;
                }
                return true;
            }
        });
        return command;
    }

    private static async Task<int> WaitAsync(PublisherBus bus, List<FailedMessage> moved, CommandSettings settings, CancellationToken ct)
    {
        var deletions = moved.Where(m => m.IsDeletion).DistinctBy(m => m.RequestId).ToDictionary(m => m.RequestId!.Value);
        var completions = new Completions<FailedMessage>(deletions);
        var results = new ResultPrinter(Console.Out, settings.Json);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.Timeout);
        var all = await completions.WaitAsync(bus.Results, (_, result) => results.Print(result), timeout.Token);
        Console.Error.WriteLine($"{completions.Deleted} deleted, {completions.AlreadyAbsent} already absent, {completions.Failed} failed"
            + (all ? "." : $", {completions.Pending.Count} without a result within {settings.Timeout.TotalSeconds:F0} s."));
        return !all ? ExitCodes.TimeoutOrUsage : completions.Failed > 0 ? ExitCodes.Failed : ExitCodes.Success;
    }
}
