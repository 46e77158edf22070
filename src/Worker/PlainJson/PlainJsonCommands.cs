using MassTransit;
using MassTransit.Serialization;
using RegistryCleaner.Contracts;

namespace RegistryCleaner.Worker.PlainJson;

/// <summary>
/// Commands as plain JSON bodies (the contract's camelCase JSON, <c>content_type: application/json</c> or none), side by side
/// with MassTransit envelopes, which are told apart by their content type. The message type comes from the queue.
/// </summary>
public static class PlainJsonCommands
{
    /// <summary>Every command a client may send as plain JSON. Adding one is one line here.</summary>
    public static readonly IReadOnlyList<PlainJsonCommand> All =
    [
        PlainJsonCommand.For<DeleteTag>(QueueNames.DeleteTag, "requestId", c => c.RequestId, (c, id) => c with { RequestId = id }),
        PlainJsonCommand.For<DeleteRepository>(QueueNames.DeleteRepository, "requestId", c => c.RequestId, (c, id) => c with { RequestId = id }),
        PlainJsonCommand.For<RunRetentionPolicy>(QueueNames.RunRetentionPolicy, "runId", c => c.RunId, (c, id) => c with { RunId = id }),
        PlainJsonCommand.For<RestoreTag>(QueueNames.RestoreTag, "requestId", c => c.RequestId, (c, id) => c with { RequestId = id }),
        PlainJsonCommand.For<ReclaimDigests>(QueueNames.Reclaim, "runId", c => c.RunId, (c, id) => c with { RunId = id }),
    ];

    /// <summary>Commands are small; a larger body is refused before its fields are looked at.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static PlainJsonCommand<T>? Find<T>() where T : class => Cache<T>.Command;

    public static void UsePlainJsonCommands(this IBusFactoryConfigurator configurator, IRegistrationContext context)
    {
        // The default for a message without a content type too, as amqp-publish sends it unless told otherwise.
        configurator.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType | RawSerializerOptions.AddTransportHeaders, isDefault: true);
        configurator.UseFilter(new ObjectBodiesOnly());
        configurator.UseConsumeFilter(typeof(PlainJsonCommandFilter<>), context);
    }

    /// <summary>True when the message being consumed came as a plain JSON body rather than in a MassTransit envelope.</summary>
    public static bool IsPlainJson(ConsumeContext context) => context.SerializerContext is SystemTextJsonRawSerializerContext;

    private static class Cache<T> where T : class
    {
        public static readonly PlainJsonCommand<T>? Command = All.OfType<PlainJsonCommand<T>>().SingleOrDefault();
    }
}
