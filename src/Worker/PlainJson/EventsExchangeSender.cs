using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RegistryCleaner.Contracts;

namespace RegistryCleaner.Worker.PlainJson;

/// <summary>Sends an event's plain JSON, as <see cref="ContractJson"/> writes it, to the events exchange (confirmed by the broker, stamped with the worker's user_id).</summary>
internal sealed class EventsExchangeSender(IServiceProvider services)
{
    private EventsExchangePublisher? _publisher;

    public Task SendAsync<T>(EventRoute<T> route, T message, Guid? messageId, CancellationToken ct) where T : class =>
        (_publisher ??= services.GetRequiredService<EventsExchangePublisher>())
            .PublishAsync(route.RoutingKey(message), route.Name, JsonSerializer.SerializeToUtf8Bytes(message, ContractJson.Options), messageId, ct);
}
