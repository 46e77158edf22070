using MassTransit;
using MassTransit.Context;

namespace RegistryCleaner.Worker.PlainJson;

/// <summary>
/// For a command that came as plain JSON: gives it its RequestId (the body's, else the AMQP <c>message_id</c>, else one
/// derived from the body), and marks it refused when its body is oversized or carries fields its contract does not have.
/// The consumer then reports the refusal like any invalid command, so nothing reaches a registry.
/// </summary>
public sealed class PlainJsonCommandFilter<T> : IFilter<ConsumeContext<T>>
    where T : class
{
    public Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        if (PlainJsonCommands.Find<T>() is not { } command || !PlainJsonCommands.IsPlainJson(context))
            return next.Send(context);

        var body = context.ReceiveContext.Body.GetBytes();
        var refusal = PlainJsonBody.Check(body, command);
        var id = command.IdOf(context.Message);
        if (id == Guid.Empty)
            id = RequestIds.FromMessageId(context) ?? RequestIds.FromBody(command.Queue, body);
        var plain = new MessageConsumeContext<T>(context, command.WithId(context.Message, id));
        if (refusal is not null)
            plain.GetOrAddPayload(() => new PlainJsonRefusal(refusal));
        return next.Send(plain);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("plainJsonCommand");
}
