using System.CommandLine;
using RegistryCleaner.Publisher.History;
using RegistryCleaner.Publisher.Messaging;
using RegistryCleaner.Publisher.Output;

namespace RegistryCleaner.Publisher.Commands;

public static class HistoryCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var filters = new JournalFilterOptions();
        var command = new Command("history",
            "Show the deletion journal: every tag and repository deletion, restore and reclaim, with digest, outcome, who and why. "
            + "Read through the broker: no database credentials needed.");
        filters.AddTo(command);
        common.AddTo(command, waits: false);
        command.SetAction(async (parse, ct) =>
        {
            var query = filters.QueryOf(parse, DateTimeOffset.UtcNow);
            var json = parse.GetValue(common.Json);
            var lines = new JsonLines(Console.Out);
            await using var bus = await PublisherBus.ConnectAsync(common.BrokerOf(parse), listen: false, TimeSpan.FromSeconds(30), ct);
            var count = 0;
            await foreach (var entry in JournalReader.ReadAsync(bus, query, ct))
            {
                if (json)
                    lines.Write("JournalEntry", entry);
                else
                {
                    if (count == 0)
                        Console.Out.WriteLine(JournalRows.Header);
                    Console.Out.WriteLine(JournalRows.Of(entry));
                }
                count++;
            }
            if (!json)
                Console.Error.WriteLine(count == 0 ? "No journal entries match." : $"{count} entries.");
            return ExitCodes.Success;
        });
        return command;
    }
}
