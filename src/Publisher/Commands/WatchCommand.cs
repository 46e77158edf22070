using System.CommandLine;
using RegistryCleaner.Publisher.Messaging;

namespace RegistryCleaner.Publisher.Commands;

public static class WatchCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var registry = new Option<string[]>("--registry") { Description = "Only results from this registry (repeatable)" };
        var outcome = new Option<string[]>("--outcome") { Description = "Only these outcomes: deleted, absent, failed (repeatable)" };
        outcome.AcceptOnlyFromAmong(WatchFilter.OutcomeNames);
        var run = new Option<Guid[]>("--run") { Description = "Only deletions of this retention run (repeatable)" };
        var request = new Option<Guid[]>("--request") { Description = "Only results of this RequestId (repeatable)" };

        var command = new Command("watch", "Print result events as they arrive, until Ctrl+C: a readable row each, or JSON Lines with --json")
        {
            registry, outcome, run, request,
        };
        common.AddTo(command, waits: false);
        command.SetAction(async (parse, ct) =>
        {
            var filter = WatchFilter.Of(parse.GetValue(registry), parse.GetValue(outcome), parse.GetValue(run), parse.GetValue(request));
            var printer = new ResultPrinter(Console.Out, parse.GetValue(common.Json));
            await using var bus = await PublisherBus.ConnectAsync(common.BrokerOf(parse), listen: true, TimeSpan.FromSeconds(30), ct);
            Console.Error.WriteLine("Watching result events; Ctrl+C to stop.");
            try
            {
                await foreach (var result in bus.Results.ReadAllAsync(ct))
                {
                    if (filter.Matches(result))
                        printer.Print(result);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
