using System.Text;

namespace RegistryCleaner.Publisher.Failed;

/// <summary>The headers a failed command carries in an <c>_error</c> queue (set by the worker or by MassTransit), and the ones a re-drive adds.</summary>
public static class FaultHeaders
{
    public const string FaultPrefix = "MT-Fault-";
    public const string Reason = "MT-Reason";
    public const string Message = "MT-Fault-Message";
    public const string ExceptionType = "MT-Fault-ExceptionType";
    public const string InputAddress = "MT-Fault-InputAddress";
    public const string Timestamp = "MT-Fault-Timestamp";
    public const string FailureKind = "RC-Failure-Kind";
    public const string RedriveCount = "RC-Redrive-Count";
    public const string RedrivenAt = "RC-Redriven-At";
    public const string HeadersCut = "RC-Headers-Cut";

    /// <summary>The failure kind of a command the worker moved aside because it kept coming back unsettled.</summary>
    public const string Poison = "Poison";

    /// <summary>AMQP carries header strings as bytes; numbers and timestamps come as such.</summary>
    public static string? Text(IDictionary<string, object?>? headers, string name) =>
        headers is not null && headers.TryGetValue(name, out var value) ? value switch
        {
            null => null,
            byte[] bytes => Encoding.UTF8.GetString(bytes),
            string text => text,
            _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
        } : null;

    public static int Number(IDictionary<string, object?>? headers, string name) =>
        int.TryParse(Text(headers, name), out var number) ? number : 0;
}
