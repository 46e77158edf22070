using System.CommandLine;
using RegistryCleaner.Contracts;
using RegistryCleaner.Publisher.Failed;
using RegistryCleaner.Publisher.Messaging;

namespace RegistryCleaner.Publisher.Commands;

/// <summary><c>failed list</c> and <c>failed redrive</c>: the commands the worker kept in its <c>_error</c> queues.</summary>
public static class FailedCommand
{
    /// <summary>The worker's command queues whose failures are kept for re-drive.</summary>
    public static readonly string[] CommandQueues = [QueueNames.DeleteTag, QueueNames.DeleteRepository, QueueNames.RunRetentionPolicy];

    public static Command Create() => new("failed", "Show and re-drive the commands the worker could not complete (kept in its _error queues)")
    {
        List(),
        FailedRedrive.Create(),
    };

    private static Command List()
    {
        var common = new CommonOptions();
        var filters = new FailedFilters();
        var command = new Command("list", "Show each failed command: when it failed, why, its target and RequestId; nothing is moved");
        filters.AddTo(command);
        common.AddTo(command, waits: false);
        command.SetAction(async (parse, ct) =>
        {
            var json = parse.GetValue(common.Json);
            var printer = new FailedPrinter(json);
            var selected = filters.Of(parse);
            await using var queues = await ErrorQueues.ConnectAsync(common.BrokerOf(parse), ct);
            var shown = 0;
            foreach (var queue in filters.QueuesOf(parse))
            {
                await foreach (var message in queues.ListAsync(queue, ct))
                {
                    if (!selected(message))
                        continue;
                    printer.Print("FailedCommand", message);
                    shown++;
                }
            }
            if (!json)
                Console.Out.WriteLine(shown == 0 ? "No failed commands." : $"{shown} failed command(s).");
            return ExitCodes.Success;
        });
        return command;
    }
}
