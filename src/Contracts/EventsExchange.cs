namespace RegistryCleaner.Contracts;

/// <summary>
/// The durable topic exchange every result event is also published to, as plain JSON (<see cref="ContractJson"/>), for
/// observers that are not MassTransit. The routing key is <c>&lt;event-in-kebab-case&gt;.&lt;registry&gt;</c>, e.g.
/// <c>deletion-failed.prod</c>, so a queue bound with <c>deletion-failed.#</c> or <c>*.prod</c> gets exactly those events.
/// The AMQP <c>type</c> property holds the event name (<c>DeletionFailed</c>), <c>content_type</c> is <c>application/json</c>.
/// </summary>
public static class EventsExchange
{
    public const string Name = "registry-cleaner.events";

    /// <summary>The registry word of an event whose command named no valid registry (registry names start with a letter or digit).</summary>
    public const string InvalidRegistry = "_invalid";

    /// <summary>The registry word of an event about every registry at once (a reclaim run that named none).</summary>
    public const string AllRegistries = "_all";
}
