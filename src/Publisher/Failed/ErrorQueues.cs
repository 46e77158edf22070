using System.Runtime.CompilerServices;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using RegistryCleaner.Common.Messaging;
using RegistryCleaner.Publisher.Messaging;

namespace RegistryCleaner.Publisher.Failed;

/// <summary>
/// The worker's <c>_error</c> queues, read and re-driven with RabbitMQ's own client. Reading takes messages without
/// acknowledging them, so closing the channel puts every one back. A re-driven message is acknowledged only after
/// the broker has confirmed its copy in the original queue: a crash in between leaves it in both places (the
/// worker's commands are idempotent), never in neither.
/// </summary>
public sealed class ErrorQueues : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly string _user;

    private ErrorQueues(IConnection connection, string user)
    {
        _connection = connection;
        _user = user;
    }

    public static async Task<ErrorQueues> ConnectAsync(BrokerAddress broker, CancellationToken ct)
    {
        var factory = BrokerConnection.Factory(broker);
        factory.ClientProvidedName = "registry-cleaner failed";
        factory.RequestedConnectionTimeout = TimeSpan.FromSeconds(15);
        try
        {
            return new ErrorQueues(await factory.CreateConnectionAsync(ct), broker.Username);
        }
        catch (BrokerUnreachableException e)
        {
            var why = e.InnerException is AuthenticationFailureException or PossibleAuthenticationFailureException
                ? $": it refused the credentials of user '{broker.Username}'"
                : "";
            throw new PublisherException($"Cannot reach the broker at {broker.Display}{why} (set --broker or Transport__RabbitMq__Uri).", ExitCodes.TimeoutOrUsage);
        }
    }

    /// <summary>Every message in the queue, left where it was.</summary>
    public async IAsyncEnumerable<FailedMessage> ListAsync(string errorQueue, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var channel = await _connection.CreateChannelAsync(cancellationToken: ct);
        var count = await CountAsync(channel, errorQueue, ct);
        for (var i = 0; i < count; i++)
        {
            if (await channel.BasicGetAsync(errorQueue, autoAck: false, ct) is not { } message)
                break;
            yield return FailedMessage.From(errorQueue, message);
        }
        if (channel.IsOpen)
            await channel.CloseAsync(ct);
    }

    /// <summary>
    /// Sends every message <paramref name="selected"/> accepts back to its original queue, one at a time, each
    /// acknowledged from the error queue only once the broker confirmed the copy. Messages that arrive during the
    /// re-drive (for example a re-driven command that fails again) are left for the next one.
    /// </summary>
    public async Task RedriveAsync(string errorQueue, Func<FailedMessage, bool> selected, Action<FailedMessage> redriven, TimeProvider time, CancellationToken ct)
    {
        await using var source = await _connection.CreateChannelAsync(cancellationToken: ct);
        var count = await CountAsync(source, errorQueue, ct);
        if (count == 0)
            return;
        await using var target = await _connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
        for (var i = 0; i < count; i++)
        {
            if (await source.BasicGetAsync(errorQueue, autoAck: false, ct) is not { } message)
                break;
            var failed = FailedMessage.From(errorQueue, message);
            if (!selected(failed))
                continue;
            try
            {
                await target.BasicPublishAsync("", failed.OriginalQueue, mandatory: true, RedriveProperties(message.BasicProperties, _user, time), message.Body, ct);
            }
            catch (PublishException e)
            {
                var why = e is PublishReturnException { ReplyCode: 312 } ? $"the queue '{failed.OriginalQueue}' does not exist (has a worker ever started on this broker?)" : "the broker refused it";
                throw new PublisherException($"Could not re-drive request {failed.RequestId} to '{failed.OriginalQueue}': {why}. It stays in {errorQueue}.", ExitCodes.Failed);
            }
            await source.BasicAckAsync(message.DeliveryTag, multiple: false, ct);
            redriven(failed);
        }
        await source.CloseAsync(ct);
    }

    /// <summary>
    /// The original properties without the fault headers, counting the re-drives. The AMQP user_id becomes the
    /// re-driving user's: the broker refuses any other, and the worker's publisher allow-lists then judge who sent it again.
    /// </summary>
    private static BasicProperties RedriveProperties(IReadOnlyBasicProperties original, string user, TimeProvider time)
    {
        var headers = new Dictionary<string, object?>(original.Headers ?? new Dictionary<string, object?>());
        foreach (var name in headers.Keys.ToList())
        {
            if (name.StartsWith(FaultHeaders.FaultPrefix, StringComparison.OrdinalIgnoreCase)
                || name is FaultHeaders.Reason or FaultHeaders.FailureKind or Constants.PublishSequenceNumberHeader)
                headers.Remove(name);
        }
        headers.Remove(PoisonHeaders.Reason);
        headers[FaultHeaders.RedriveCount] = FaultHeaders.Number(original.Headers, FaultHeaders.RedriveCount) + 1;
        headers[FaultHeaders.RedrivenAt] = time.GetUtcNow().ToString("O");
        // A copy kept by an older worker may carry any header; the broker would close the connection on an oversized one.
        HeaderBounds.Apply(headers);
        return new BasicProperties(original) { Headers = headers, DeliveryMode = DeliveryModes.Persistent, UserId = user };
    }

    /// <summary>How many messages wait in the queue; a queue that does not exist holds none.</summary>
    private async Task<uint> CountAsync(IChannel channel, string queue, CancellationToken ct)
    {
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue, ct)).MessageCount;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            return 0;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 403)
        {
            throw new PublisherException($"The broker refused user '{_user}' access to the queue '{queue}': it needs read and write permission there.", ExitCodes.TimeoutOrUsage);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsOpen)
            await _connection.CloseAsync();
        _connection.Dispose();
    }
}
