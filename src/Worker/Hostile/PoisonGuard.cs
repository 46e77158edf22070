using MassTransit;
using MassTransit.Middleware.Rescue;
using MassTransit.RabbitMqTransport;
using MassTransit.Transports;
using Microsoft.Extensions.Logging;
using RegistryCleaner.Common.Messaging;

namespace RegistryCleaner.Worker.Hostile;

/// <summary>
/// Breaks poison loops: a message that keeps coming back without being settled (the connection closed while it was
/// handled, the handling crashed) is moved to the endpoint's <c>_error</c> queue, with <c>RC-Failure-Kind: Poison</c> and
/// the reason, instead of being handled again, so it never blocks the messages behind it.
/// <para>
/// How often a message came back: on a classic queue RabbitMQ 3.10 says only <c>redelivered</c>, so this process counts the
/// handlings it started that were never settled (<see cref="PoisonTracker"/>). On a quorum queue the broker's own
/// <c>x-delivery-count</c> counts too, across workers and crashes. MassTransit's retry and redelivery only see exceptions the
/// consumer throws, not a connection that closed under it, so neither can count these.
/// </para>
/// <para>
/// A message that came back is handled alone (one at a time per process): when the connection dies while it is handled,
/// only it is blamed, and the other messages that were waiting come back with a clean record.
/// </para>
/// </summary>
public sealed class PoisonGuard(PoisonTracker tracker, PoisonOptions options, ILogger logger) : IEndpointConfigurationObserver
{
    public const string FailureKind = "Poison";
    public const string ReasonHeader = PoisonHeaders.Reason;
    private const string DeliveryCountHeader = "x-delivery-count";
    private readonly SemaphoreSlim _alone = new(1, 1);

    public void EndpointConfigured<T>(T configurator) where T : IReceiveEndpointConfigurator =>
        configurator.ConfigureReceive(r => r.UseFilter(new Filter(this)));

    private async Task GuardAsync(ReceiveContext context, IPipe<ReceiveContext> next)
    {
        var key = PoisonTracker.KeyOf(context);
        var deliveries = context.TransportHeaders.Get<long>(DeliveryCountHeader) ?? 0;
        var handlings = tracker.UnsettledHandlings(key);
        if (handlings >= options.MaxHandlings || deliveries >= options.MaxDeliveries)
        {
            var reason = handlings >= options.MaxHandlings
                ? $"Moved aside as poison: its handling was started {handlings} times and never settled (the connection closed or the worker failed while handling it)."
                : $"Moved aside as poison: the broker delivered it {deliveries} times (x-delivery-count) without it being settled.";
            await MoveAsideAsync(context, reason);
            tracker.Settled(key);
            return;
        }

        var suspect = context.Redelivered || deliveries > 0 || handlings > 0;
        if (suspect)
            await _alone.WaitAsync(context.CancellationToken);
        try
        {
            tracker.Started(key);
            await next.Send(context);
            if (ChannelOpen(context))
                tracker.Settled(key);
        }
        finally
        {
            if (suspect)
                _alone.Release();
        }
    }

    /// <summary>
    /// Through MassTransit's own error transport, as a fault would be, without the publisher's <c>user_id</c>, and with the
    /// headers bounded on the way (<see cref="AnonymousMoves"/>).
    /// </summary>
    private async Task MoveAsideAsync(ReceiveContext context, string reason)
    {
        if (!context.TryGetPayload<IErrorTransport>(out var errors))
            throw new InvalidOperationException("The receive endpoint has no error transport to move a poison message to.");
        AnonymousMoves.Prepare(context);
        var failure = new RescueExceptionReceiveContext(context, new PoisonMessageException(reason));
        failure.ExceptionHeaders.Set("RC-Failure-Kind", FailureKind);
        failure.ExceptionHeaders.Set(ReasonHeader, reason);
        await errors.Send(failure);
        logger.LogError("Message {MessageId} on {InputAddress} moved to the error queue: {Reason}",
            context.TransportHeaders.Get<string>("MessageId") ?? "(no id)", context.InputAddress, reason);
    }

    /// <summary>The message can still be acknowledged only on the channel it came on.</summary>
    private static bool ChannelOpen(ReceiveContext context) =>
        !context.TryGetPayload<ChannelContext>(out var channel) || channel.Channel.IsOpen;

    private sealed class Filter(PoisonGuard guard) : IFilter<ReceiveContext>
    {
        public Task Send(ReceiveContext context, IPipe<ReceiveContext> next) => guard.GuardAsync(context, next);

        public void Probe(ProbeContext context) => context.CreateFilterScope("poisonGuard");
    }
}

public sealed class PoisonMessageException(string message) : Exception(message);
