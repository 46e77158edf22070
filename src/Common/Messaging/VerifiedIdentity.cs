using MassTransit;

namespace RegistryCleaner.Common.Messaging;

/// <summary>
/// Who published a message, as the broker verified it. RabbitMQ refuses a publish whose AMQP <c>user_id</c> property differs
/// from the user of the connection that sent it, so a <c>user_id</c> on a received message names that user and nobody else
/// (only a user with RabbitMQ's <c>impersonator</c> tag could forge it: never give that tag to a publisher).
/// </summary>
public static class VerifiedIdentity
{
    /// <summary>Informational only, on copies kept in error queues: whoever can publish can also write a header.</summary>
    public const string OriginalPublisherHeader = "RC-Original-Publisher";

    /// <summary>Sets <c>user_id</c> to <paramref name="userName"/> (the connection's user) on everything this bus sends or publishes.</summary>
    public static void UseVerifiedIdentity(this IRabbitMqBusFactoryConfigurator configurator, string userName)
    {
        ArgumentException.ThrowIfNullOrEmpty(userName);
        configurator.ConfigureSend(s => s.UseFilter(new StampUserId<SendContext>(userName)));
        configurator.ConfigurePublish(p => p.UseFilter(new StampUserId<PublishContext>(userName)));
        configurator.ConnectEndpointConfigurationObserver(new AnonymousMoves());
    }

    /// <summary>The broker-verified publisher of the message being consumed, or null when it carried no <c>user_id</c> (or came through another transport).</summary>
    public static string? VerifiedPublisher(this ConsumeContext context) =>
        context.ReceiveContext.TryGetPayload<RabbitMqBasicConsumeContext>(out var amqp) && amqp.Properties.IsUserIdPresent()
        && !string.IsNullOrEmpty(amqp.Properties.UserId)
            ? amqp.Properties.UserId
            : null;

    /// <summary>
    /// Sends without <c>user_id</c>: for the copy of someone else's command the worker keeps for re-drive, so that a re-driven
    /// copy is not taken for a command of the worker's own. The original publisher goes into an informational header.
    /// </summary>
    public static void WithoutIdentity(this SendContext context, string? originalPublisher)
    {
        context.GetOrAddPayload(() => Anonymous.Instance);
        if (context.TryGetPayload<RabbitMqSendContext>(out var amqp))
            amqp.BasicProperties.UserId = null;
        if (originalPublisher is not null)
            context.Headers.Set(OriginalPublisherHeader, originalPublisher);
    }

    private sealed class Anonymous
    {
        public static readonly Anonymous Instance = new();
    }

    private sealed class StampUserId<T>(string userName) : IFilter<T>
        where T : class, SendContext
    {
        public Task Send(T context, IPipe<T> next)
        {
            if (context.TryGetPayload<RabbitMqSendContext>(out var amqp))
                amqp.BasicProperties.UserId = context.TryGetPayload<Anonymous>(out _) ? null : userName;
            return next.Send(context);
        }

        public void Probe(ProbeContext context) => context.CreateFilterScope("verifiedIdentity");
    }
}
