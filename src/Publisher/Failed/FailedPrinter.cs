using RegistryCleaner.Common;
using RegistryCleaner.Publisher.Output;

namespace RegistryCleaner.Publisher.Failed;

/// <summary>Failed commands as table rows (with the failure's detail under each) or as JSON Lines.</summary>
public sealed class FailedPrinter(bool json)
{
    private readonly JsonLines _json = new(Console.Out);
    private bool _headerWritten;

    public void Print(string eventName, FailedMessage message)
    {
        if (json)
        {
            _json.Write(eventName, message);
            return;
        }
        if (!_headerWritten)
        {
            Console.Out.WriteLine($"{"FAILED AT (UTC)",-19}  {"QUEUE",-24}  {"FAILURE",-18}  {"REQUEST",-36}  TARGET");
            _headerWritten = true;
        }
        var at = message.FailedAt is { } time ? time.ToString("yyyy-MM-dd HH:mm:ss") : "unknown";
        var again = message.RedriveCount > 0 ? $"  (re-driven {message.RedriveCount}×)" : "";
        Console.Out.WriteLine($"{at,-19}  {message.Queue,-24}  {Printable.Of(message.Failure),-18}  {message.RequestId?.ToString() ?? "-",-36}  {Printable.Of(message.Target)}{again}");
        if (!string.IsNullOrEmpty(message.Detail))
            Console.Out.WriteLine($"{"",-19}  {Printable.Of(message.Detail)}");
        if (message.Poison)
            Console.Out.WriteLine($"{"",-19}  poison: re-drive only with --force, once what killed its handling is fixed");
        if (!string.IsNullOrEmpty(message.HeadersCut))
            Console.Out.WriteLine($"{"",-19}  headers cut: {Printable.Of(message.HeadersCut)}");
    }
}
