using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using RegistryCleaner.Contracts;

namespace RegistryCleaner.Worker.PlainJson;

/// <summary>Sends an event's plain JSON to the events exchange through the worker's own bus (confirmed by the broker, stamped with the worker's user_id).</summary>
internal sealed class EventsExchangeSender(IServiceProvider services)
{
    public static readonly Uri Address = new($"exchange:{EventsExchange.Name}?type=topic&durable=true&autodelete=false");

    private Task<ISendEndpoint>? _endpoint;

    public async Task SendAsync<T>(EventRoute<T> route, T message, Guid? messageId, CancellationToken ct) where T : class
    {
        var endpoint = await (_endpoint ??= services.GetRequiredService<IBus>().GetSendEndpoint(Address));
        await endpoint.Send(message, send =>
        {
            send.Serializer = ContractJsonSerializer.Instance;
            send.SetRoutingKey(route.RoutingKey(message));
            send.Durable = true;
            if (messageId is { } id)
                send.MessageId = id;
            if (send.TryGetPayload<RabbitMqSendContext>(out var amqp))
                amqp.BasicProperties.Type = route.Name;
        }, ct);
    }
}
