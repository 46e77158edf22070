using MassTransit;
using MassTransit.Middleware;
using MassTransit.RabbitMqTransport;
using RabbitMQ.Client;

namespace RegistryCleaner.Common.Messaging;

/// <summary>
/// MassTransit moves a message it cannot handle (to <c>_error</c> or <c>_skipped</c>) by publishing a copy with the original
/// properties, <c>user_id</c> included; RabbitMQ refuses that publish when the original came from another user, closing the
/// channel, and the message would come back for ever. Moves made through this endpoint's channel drop <c>user_id</c> and keep
/// it only in an informational header. The moved copy's headers are bounded too (<see cref="HeaderBounds"/>): the move adds
/// fault headers to the original ones, which could push the table past the broker's frame limit.
/// <para>
/// Only a message on its way to be moved is touched: the filter sits at the head of the endpoint's error and dead-letter pipes,
/// in front of MassTransit's own filters for them (configuring either pipe replaces its defaults, so they are added back here).
/// A move made outside those pipes calls <see cref="Prepare"/> first.
/// </para>
/// </summary>
public sealed class AnonymousMoves : IEndpointConfigurationObserver
{
    public void EndpointConfigured<T>(T configurator) where T : IReceiveEndpointConfigurator
    {
        configurator.ConfigureError(e =>
        {
            e.UseFilter(new Filter<ExceptionReceiveContext>());
            e.UseFilter(new GenerateFaultFilter());
            e.UseFilter(new ErrorTransportFilter());
        });
        configurator.ConfigureDeadLetter(d =>
        {
            d.UseFilter(new Filter<ReceiveContext>());
            d.UseFilter(new DeadLetterTransportFilter());
        });
    }

    /// <summary>Makes a move of this message, through the channel it came on, drop <c>user_id</c> and bound its headers.</summary>
    public static void Prepare(ReceiveContext context)
    {
        if (context.TryGetPayload<ChannelContext>(out var channel) && channel is not Channel)
        {
            var anonymous = new Channel(channel);
            context.AddOrUpdatePayload<ChannelContext>(() => anonymous, _ => anonymous);
        }
    }

    private sealed class Filter<TContext> : IFilter<TContext>
        where TContext : class, ReceiveContext
    {
        public Task Send(TContext context, IPipe<TContext> next)
        {
            Prepare(context);
            return next.Send(context);
        }

        public void Probe(ProbeContext context) => context.CreateFilterScope("anonymousMoves");
    }

    private sealed class Channel(ChannelContext channel) : SharedChannelContext(channel, channel.CancellationToken), ChannelContext
    {
        Task ChannelContext.BasicPublishAsync(string exchange, string routingKey, bool mandatory, BasicProperties basicProperties, byte[] body,
            bool awaitAck, CancellationToken cancellationToken)
        {
            if (!string.IsNullOrEmpty(basicProperties.UserId))
            {
                basicProperties.Headers ??= new Dictionary<string, object?>();
                basicProperties.Headers[VerifiedIdentity.OriginalPublisherHeader] = basicProperties.UserId;
                basicProperties.UserId = null;
            }
            if (basicProperties.Headers is not null)
                HeaderBounds.Apply(basicProperties.Headers);
            return BasicPublishAsync(exchange, routingKey, mandatory, basicProperties, body, awaitAck, cancellationToken);
        }
    }
}
