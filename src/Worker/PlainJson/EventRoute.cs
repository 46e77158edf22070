using System.Text.Json;
using MassTransit;
using MassTransit.Configuration;
using RegistryCleaner.Common.Validation;
using RegistryCleaner.Contracts;
namespace RegistryCleaner.Worker.PlainJson;

/// <summary>One result event on the events exchange: its name (the AMQP <c>type</c>) and its routing key.</summary>
public abstract class EventRoute
{
    public abstract Type MessageType { get; }

    /// <summary>The event's name, e.g. <c>DeletionFailed</c>.</summary>
    public string Name => MessageType.Name;

    /// <summary>The first word of its routing keys, e.g. <c>deletion-failed</c>.</summary>
    public string Word => JsonNamingPolicy.KebabCaseLower.ConvertName(Name);

    internal abstract void MirrorTo(IPublishPipeConfigurator publish, EventsExchangeSender exchange);

    public static EventRoute<T> For<T>(Func<T, string?> registry) where T : class => new(registry);

    /// <summary>
    /// The registry as one or more routing-key words. A command may name anything; what is not a valid registry name (a URL,
    /// an empty or oversized value) is reported under <see cref="EventsExchange.InvalidRegistry"/>, which no registry can be named.
    /// </summary>
    public static string RegistryWords(string? registry) =>
        NameRules.IsRegistryName(registry) || registry == EventsExchange.AllRegistries ? registry! : EventsExchange.InvalidRegistry;
}

public sealed class EventRoute<T>(Func<T, string?> registry) : EventRoute
    where T : class
{
    public override Type MessageType => typeof(T);

    public string RoutingKey(T message) => $"{Word}.{RegistryWords(registry(message))}";

    internal override void MirrorTo(IPublishPipeConfigurator publish, EventsExchangeSender exchange) =>
        publish.AddPipeSpecification(new FilterPipeSpecification<PublishContext<T>>(new Mirror(this, exchange)));

    private sealed class Mirror(EventRoute<T> route, EventsExchangeSender exchange) : IFilter<PublishContext<T>>
    {
        /// <summary>Both are awaited, side by side: the publish fails (and the command is retried) if either does.</summary>
        public Task Send(PublishContext<T> context, IPipe<PublishContext<T>> next) =>
            Task.WhenAll(exchange.SendAsync(route, context.Message, context.MessageId, context.CancellationToken), next.Send(context));

        public void Probe(ProbeContext context) => context.CreateFilterScope("eventsExchange");
    }
}
