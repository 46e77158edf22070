using System.CommandLine;
using RegistryCleaner.Contracts;
using RegistryCleaner.Publisher.Messaging;
using RegistryCleaner.Publisher.Restore;

namespace RegistryCleaner.Publisher.Commands;

public static class RestoreCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var request = new Option<Guid?>("--request") { Description = "Restore the tags the deletion request with this RequestId removed" };
        var run = new Option<Guid?>("--run") { Description = "Restore the tags this retention run removed" };
        var registry = new Option<string?>("--registry") { Description = "Configured registry name (with --repository and --tag)" };
        var repository = new Option<string?>("--repository") { Description = "Repository, e.g. team/app" };
        var tag = new Option<string[]>("--tag") { Description = "A tag to put back at the digest of its latest deletion (repeatable)" };
        var file = new Option<string?>("--file", "-f") { Description = "Tags to restore, one per line, as for delete-tags (JSON Lines or CSV; - reads standard input)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Check each tag (journal, registry) and report; put nothing back. Waits for the answers." };
        var reason = CommonOptions.Reason("Why, for the journal");
        var requestedBy = CommonOptions.RequestedBy();

        var command = new Command("restore",
            "Put deleted tags back at the digest the journal recorded, while the registry still holds the manifest (until it is reclaimed). "
            + "Never overwrites a tag that exists. Exit 0 when all were restored, 1 when some were not, 2 on timeout or bad input.")
        {
            request, run, registry, repository, tag, file, dryRun, reason, requestedBy,
        };
        common.AddTo(command, waits: true);
        command.SetAction(async (parse, ct) =>
        {
            var choice = new RestoreSelection.Choice(parse.GetValue(request), parse.GetValue(run), parse.GetValue(registry), parse.GetValue(repository),
                parse.GetValue(tag) ?? [], parse.GetValue(file), parse.GetValue(dryRun), parse.GetValue(reason), parse.GetValue(requestedBy));
            if (RestoreSelection.UsageError(choice) is { } usage)
                throw new PublisherException(usage, ExitCodes.TimeoutOrUsage);
            var settings = common.SettingsOf(parse);
            var wait = settings.Wait || choice.DryRun;
            await using var bus = await PublisherBus.ConnectAsync(settings.Broker, listen: wait, TimeSpan.FromSeconds(30), ct);
            var commands = await RestoreSelection.CommandsAsync(choice, bus, ct);
            foreach (var restore in commands)
                await bus.SendAsync(QueueNames.RestoreTag, restore, ct);
            if (!wait)
            {
                Console.Error.WriteLine($"Sent {commands.Count} restore command(s).");
                return ExitCodes.Success;
            }
            return await WaitAsync(bus, commands, new RestorePrinter(Console.Out, settings.Json), settings.Timeout, ct);
        });
        return command;
    }

    private static async Task<int> WaitAsync(PublisherBus bus, List<RestoreTag> commands, RestorePrinter printer, TimeSpan timeout, CancellationToken ct)
    {
        var pending = commands.Select(c => c.RequestId).ToHashSet();
        var failed = 0;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            await foreach (var result in bus.JournalEvents.ReadAllAsync(deadline.Token))
            {
                var id = result switch { TagRestored r => r.RequestId, RestoreFailed f => f.RequestId, _ => Guid.Empty };
                if (!pending.Remove(id))
                    continue;
                failed += result is RestoreFailed ? 1 : 0;
                printer.Print(result);
                if (pending.Count == 0)
                    break;
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }
        if (pending.Count > 0)
        {
            Console.Error.WriteLine($"{pending.Count} of {commands.Count} restore(s) had no result within {timeout.TotalSeconds:F0} s; they stay queued for the worker.");
            return ExitCodes.TimeoutOrUsage;
        }
        Console.Error.WriteLine($"{commands.Count - failed} restored{(commands.Count > 0 && commands[0].DryRun ? " (dry run: could be)" : "")}, {failed} not.");
        return failed == 0 ? ExitCodes.Success : ExitCodes.Failed;
    }
}
