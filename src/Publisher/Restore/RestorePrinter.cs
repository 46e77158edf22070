using RegistryCleaner.Contracts;
using RegistryCleaner.Publisher.Output;

namespace RegistryCleaner.Publisher.Restore;

/// <summary>Restore events (<see cref="TagRestored"/>, <see cref="RestoreFailed"/>) as rows, or JSON Lines with <c>--json</c>.</summary>
public sealed class RestorePrinter(TextWriter output, bool json) : EventPrinter<object>(output, json)
{
    protected override string NameOf(object result) => result.GetType().Name;

    protected override string RowOf(object result) => result switch
    {
        TagRestored r => $"{r.CompletedAt:HH:mm:ss}  {(r.DryRun ? "would restore" : "restored"),-14} {r.Registry}/{r.Repository}:{r.Tag}  @{r.Digest}  request={r.RequestId}",
        RestoreFailed f => $"{f.FailedAt:HH:mm:ss}  NOT RESTORED {f.Failure} {f.Registry}/{f.Repository}:{f.Tag}  request={f.RequestId}\n          {f.Detail}",
        _ => result.ToString() ?? "",
    };
}
