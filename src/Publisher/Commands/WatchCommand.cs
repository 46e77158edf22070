using System.CommandLine;
using RegistryCleaner.Publisher.Messaging;

namespace RegistryCleaner.Publisher.Commands;

public static class WatchCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var command = new Command("watch", "Print every result event as it arrives, until Ctrl+C");
        common.AddTo(command, waits: false);
        command.SetAction(async (parse, ct) =>
        {
            var printer = new ResultPrinter(Console.Out, parse.GetValue(common.Json));
            await using var bus = await PublisherBus.ConnectAsync(common.BrokerOf(parse), listen: true, TimeSpan.FromSeconds(30), ct);
            Console.Error.WriteLine("Watching result events; Ctrl+C to stop.");
            try
            {
                await foreach (var result in bus.Results.ReadAllAsync(ct))
                    printer.Print(result);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
