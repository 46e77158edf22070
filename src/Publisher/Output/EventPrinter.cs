namespace RegistryCleaner.Publisher.Output;

/// <summary>Events as they arrive: one readable row each for people, or with <c>--json</c> one JSON object per line for pipes.</summary>
public abstract class EventPrinter<TEvent>(TextWriter output, bool json) where TEvent : class
{
    private readonly JsonLines _json = new(output);

    public void Print(TEvent result)
    {
        if (json)
        {
            _json.Write(NameOf(result), BodyOf(result));
            return;
        }
        output.WriteLine(RowOf(result));
        output.Flush();
    }

    /// <summary>The value of the line's <c>"event"</c> field.</summary>
    protected abstract string NameOf(TEvent result);

    /// <summary>The fields that follow <c>"event"</c>.</summary>
    protected virtual object BodyOf(TEvent result) => result;

    protected abstract string RowOf(TEvent result);
}
