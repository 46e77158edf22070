using MassTransit;
using MassTransit.RabbitMqTransport;
using RabbitMQ.Client;

namespace RegistryCleaner.Common.Messaging;

/// <summary>
/// MassTransit moves a message it cannot handle (to <c>_error</c> or <c>_skipped</c>) by publishing a copy with the original
/// properties, <c>user_id</c> included; RabbitMQ refuses that publish when the original came from another user, closing the
/// channel, and the message would come back for ever. Moves made through this endpoint's channel drop <c>user_id</c> and keep
/// it only in an informational header. The moved copy's headers are bounded too (<see cref="HeaderBounds"/>): the move adds
/// fault headers to the original ones, which could push the table past the broker's frame limit.
/// </summary>
internal sealed class AnonymousMoves : IEndpointConfigurationObserver
{
    public void EndpointConfigured<T>(T configurator) where T : IReceiveEndpointConfigurator =>
        configurator.ConfigureReceive(r => r.UseFilter(new Filter()));

    private sealed class Filter : IFilter<ReceiveContext>
    {
        public Task Send(ReceiveContext context, IPipe<ReceiveContext> next)
        {
            if (context.TryGetPayload<ChannelContext>(out var channel) && channel is not Channel)
            {
                var anonymous = new Channel(channel);
                context.AddOrUpdatePayload<ChannelContext>(() => anonymous, _ => anonymous);
            }
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
