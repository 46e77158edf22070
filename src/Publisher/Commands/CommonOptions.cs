using System.CommandLine;
using Microsoft.Extensions.Configuration;
using RegistryCleaner.Common.Messaging;

namespace RegistryCleaner.Publisher.Commands;

/// <summary>Options every command shares. The broker comes from --broker, else Transport__RabbitMq__Uri, as the worker reads it.</summary>
public sealed class CommonOptions
{
    public Option<string?> Broker { get; } = new("--broker") { Description = "RabbitMQ URI (default: Transport__RabbitMq__Uri, else amqp://guest:guest@127.0.0.1:5672/)" };
    public Option<bool> Json { get; } = new("--json") { Description = "Write results as JSON Lines on standard output" };
    public Option<int> Timeout { get; } = new("--timeout") { Description = "Seconds to wait for results with --wait", DefaultValueFactory = _ => 60 };
    public Option<bool> Wait { get; } = new("--wait") { Description = "Wait for the result event and exit 0 on success, 1 on failure, 2 on timeout" };

    /// <summary>--reason, described for the command at hand.</summary>
    public static Option<string?> Reason(string description) => new("--reason") { Description = description };

    public static Option<string?> RequestedBy() =>
        new("--requested-by") { Description = "Who asks (free text, for people)", DefaultValueFactory = _ => Environment.UserName };

    public void AddTo(Command command, bool waits)
    {
        command.Options.Add(Broker);
        command.Options.Add(Json);
        if (waits)
        {
            command.Options.Add(Wait);
            command.Options.Add(Timeout);
        }
    }

    public BrokerAddress BrokerOf(ParseResult parse)
    {
        // The same keys the worker reads, so Transport__RabbitMq__PasswordFile and CaCertificateFile work here too.
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var uri = parse.GetValue(Broker);
        try
        {
            return BrokerAddress.FromConfiguration(configuration, string.IsNullOrEmpty(uri) ? null : uri,
                string.IsNullOrEmpty(uri) ? BrokerAddress.UriKey : "--broker");
        }
        catch (InvalidOperationException e)
        {
            throw new Messaging.PublisherException(e.Message, Messaging.ExitCodes.TimeoutOrUsage);
        }
    }

    public CommandSettings SettingsOf(ParseResult parse) =>
        new(BrokerOf(parse), parse.GetValue(Json), parse.GetValue(Wait), TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(Timeout))));
}
