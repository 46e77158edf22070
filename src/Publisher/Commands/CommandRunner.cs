using RegistryCleaner.Common.Messaging;
using RegistryCleaner.Publisher.Messaging;

namespace RegistryCleaner.Publisher.Commands;

/// <summary>Sends one command and, with --wait, waits for the result event that carries its RequestId.</summary>
public static class CommandRunner
{
    public static async Task<int> SendAsync<T>(string queue, T command, Guid requestId, CommandSettings settings, CancellationToken ct) where T : class
    {
        var printer = new ResultPrinter(Console.Out, settings.Json);
        await using var bus = await PublisherBus.ConnectAsync(settings.Broker, listen: settings.Wait, TimeSpan.FromSeconds(30), ct);
        await bus.SendAsync(queue, command, ct);
        if (!settings.Wait)
        {
            if (settings.Json)
                Console.Out.WriteLine($$"""{"event":"Sent","requestId":"{{requestId}}","queue":"{{queue}}"}""");
            else
                Console.Out.WriteLine($"sent {queue} request={requestId}");
            return ExitCodes.Success;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            await foreach (var result in bus.Results.ReadAllAsync(timeout.Token))
            {
                if (result.RequestId != requestId)
                    continue;
                printer.Print(result);
                return result.IsSuccess ? ExitCodes.Success : ExitCodes.Failed;
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }
        Console.Error.WriteLine($"No result for request {requestId} within {settings.Timeout.TotalSeconds:F0} s; the command stays queued for the worker.");
        return ExitCodes.TimeoutOrUsage;
    }
}

public sealed record CommandSettings(BrokerAddress Broker, bool Json, bool Wait, TimeSpan Timeout);
