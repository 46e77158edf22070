using MassTransit;
using RegistryCleaner.Contracts;

namespace RegistryCleaner.Worker.PlainJson;

/// <summary>
/// Every result event is also published, as plain JSON, to the topic exchange <see cref="EventsExchange.Name"/> with the
/// routing key <c>&lt;event-in-kebab-case&gt;.&lt;registry&gt;</c>. It leaves when the event itself does (after the in-memory
/// outbox has decided the outcome), and a failure to send it fails the publish, so it is as at-least-once as the event.
/// </summary>
public static class EventRoutes
{
    /// <summary>Every result event, and the registry it concerns. Adding an event is one line here.</summary>
    public static readonly IReadOnlyList<EventRoute> All =
    [
        EventRoute.For<DeletionSucceeded>(e => e.Registry),
        EventRoute.For<DeletionFailed>(e => e.Registry),
        EventRoute.For<RetentionRunCompleted>(e => e.Registry),
        EventRoute.For<TagRestored>(e => e.Registry),
        EventRoute.For<RestoreFailed>(e => e.Registry),
        EventRoute.For<DigestReclaimed>(e => e.Registry),
        EventRoute.For<ReclaimCompleted>(e => e.Registry ?? EventsExchange.AllRegistries),
    ];

    public static void UsePlainJsonEvents(this IBusFactoryConfigurator configurator, IRegistrationContext context)
    {
        var exchange = new EventsExchangeSender(context);
        configurator.ConfigurePublish(publish =>
        {
            foreach (var route in All)
                route.MirrorTo(publish, exchange);
        });
    }
}
