using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace RegistryCleaner.Common.Messaging;

/// <summary>
/// A plain RabbitMQ connection beside the bus, for what MassTransit does not do: the worker's checks and declarations at start,
/// the CLI's reads of the error queues.
/// </summary>
public static class BrokerConnection
{
    /// <summary>Waits for the broker as the bus itself would, rather than failing a worker that starts before RabbitMQ.</summary>
    public static async Task<IConnection> ConnectAsync(BrokerAddress broker, string purpose, ILogger log, CancellationToken ct)
    {
        var factory = Factory(broker);
        try
        {
            return await UntilReachable(broker, purpose, log).ExecuteAsync(
                async token => await factory.CreateConnectionAsync($"registry-cleaner-worker ({purpose})", token), ct);
        }
        catch (BrokerUnreachableException e) when (e.InnerException is AuthenticationFailureException)
        {
            throw new InvalidOperationException($"The broker at {broker.Display} refused the worker's user name or password.");
        }
    }

    /// <summary>Every 3 s for as long as the broker cannot be reached; refused credentials end it at once.</summary>
    private static ResiliencePipeline UntilReachable(BrokerAddress broker, string purpose, ILogger log) =>
        new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<BrokerUnreachableException>(e => e.InnerException is not AuthenticationFailureException),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Constant,
            Delay = TimeSpan.FromSeconds(3),
            UseJitter = false,
            OnRetry = args =>
            {
                var e = args.Outcome.Exception!;
                log.LogWarning("Cannot reach the broker at {Broker} for the {Purpose} ({Error}); trying again", broker.Display, purpose, e.InnerException?.Message ?? e.Message);
                return default;
            },
        }).Build();

    /// <summary>
    /// A RabbitMQ.Client connection factory for the broker: its credentials, and over TLS the same certificate checks as the
    /// MassTransit bus (<see cref="BrokerAddress.CaCertificateFile"/> included). Recovery is off; the caller decides on retries.
    /// </summary>
    public static ConnectionFactory Factory(BrokerAddress broker) => new()
    {
        HostName = broker.Host,
        Port = broker.Port,
        VirtualHost = broker.VirtualHost,
        UserName = broker.Username,
        Password = broker.Password,
        AutomaticRecoveryEnabled = false,
        Ssl = broker.UseTls
            ? new SslOption(broker.Host, enabled: true)
            {
                Version = SslProtocols.Tls12 | SslProtocols.Tls13,
                CertificateValidationCallback = BrokerAddress.CertificateValidation(broker.TrustedRoots()),
            }
            : new SslOption(),
    };
}
