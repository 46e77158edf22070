using RegistryCleaner.Contracts;
using RegistryCleaner.Publisher.Output;

namespace RegistryCleaner.Publisher.Restore;

/// <summary>Restore events as rows, or JSON Lines with <c>--json</c>.</summary>
public sealed class RestorePrinter(TextWriter output, bool json)
{
    private readonly JsonLines _json = new(output);

    public void Print(object result)
    {
        if (json)
        {
            _json.Write(result.GetType().Name, result);
            return;
        }
        output.WriteLine(result switch
        {
            TagRestored r => $"{r.CompletedAt:HH:mm:ss}  {(r.DryRun ? "would restore" : "restored"),-14} {r.Registry}/{r.Repository}:{r.Tag}  @{r.Digest}  request={r.RequestId}",
            RestoreFailed f => $"{f.FailedAt:HH:mm:ss}  NOT RESTORED {f.Failure} {f.Registry}/{f.Repository}:{f.Tag}  request={f.RequestId}\n          {f.Detail}",
            _ => result.ToString(),
        });
        output.Flush();
    }
}
