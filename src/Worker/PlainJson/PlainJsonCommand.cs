namespace RegistryCleaner.Worker.PlainJson;

/// <summary>A command a client may send as a plain JSON body: its queue, its contract, and the field that identifies the request.</summary>
public abstract class PlainJsonCommand
{
    public abstract string Queue { get; }
    public abstract Type MessageType { get; }

    /// <summary>The JSON name of the identifying field (<c>requestId</c>, or <c>runId</c> for a retention run).</summary>
    public abstract string IdField { get; }

    public static PlainJsonCommand<T> For<T>(string queue, string idField, Func<T, Guid> id, Func<T, Guid, T> withId) where T : class =>
        new(queue, idField, id, withId);
}

public sealed class PlainJsonCommand<T>(string queue, string idField, Func<T, Guid> id, Func<T, Guid, T> withId) : PlainJsonCommand
    where T : class
{
    public override string Queue => queue;
    public override Type MessageType => typeof(T);
    public override string IdField => idField;

    public Guid IdOf(T message) => id(message);

    public T WithId(T message, Guid value) => withId(message, value);
}
