using System.Text.Json.Nodes;
using RegistryCleaner.Common;
using RegistryCleaner.Publisher.Messaging;
using RegistryCleaner.Publisher.Output;

namespace RegistryCleaner.Publisher.Batches;

/// <summary>
/// What <c>delete-tags</c> tells its user. With --json every line on standard output is one JSON object (its
/// <c>"event"</c> says what it is) and people's notes go to standard error; otherwise a readable report on
/// standard output, with problems on standard error.
/// </summary>
public sealed class BatchReport(bool json)
{
    private const int PendingShown = 20;
    private readonly JsonLines _json = new(Console.Out);
    private readonly List<(BatchRequest Request, ResultEvent Result)> _failures = [];

    public void Problems(BatchFile file)
    {
        foreach (var problem in file.Problems)
        {
            if (json)
                _json.Write("InvalidLine", new { problem.Line, Error = problem.Message });
            else
                Console.Error.WriteLine(problem);
        }
        foreach (var duplicate in file.Duplicates)
        {
            if (json)
                _json.Write("RepeatedLine", new { duplicate.Line, duplicate.FirstLine });
            else
                Console.Error.WriteLine($"line {duplicate.Line}: repeats line {duplicate.FirstLine} (same request); it is sent once.");
        }
    }

    public void Planned(BatchRequest request, string eventName)
    {
        if (json)
            _json.Write(eventName, new { request.Line, request.RequestId, request.Command.Registry, request.Command.Repository, request.Command.Tag });
    }

    /// <summary>A dry run lists what it would send, for people too.</summary>
    public void WouldSend(BatchRequest request)
    {
        if (json)
            Planned(request, "WouldSend");
        else
            Console.Out.WriteLine($"would send  line {request.Line,-6} {Printable.Of(request.Target)}  request={request.RequestId}");
    }

    public void Result(BatchRequest request, ResultEvent result)
    {
        if (json)
        {
            var body = ResultPrinter.ToJson(result);
            body.Insert(0, "line", request.Line);
            _json.Write(ResultPrinter.EventName(result), body);
        }
        else if (!result.IsSuccess)
        {
            _failures.Add((request, result));
        }
    }

    public void Pending(IReadOnlyCollection<BatchRequest> pending)
    {
        if (json)
        {
            foreach (var request in pending.OrderBy(p => p.Line))
                Planned(request, "Pending");
            return;
        }
        if (pending.Count == 0)
            return;
        Console.Out.WriteLine($"No result yet for {pending.Count} request(s); they stay queued for the worker:");
        foreach (var request in pending.OrderBy(p => p.Line).Take(PendingShown))
            Console.Out.WriteLine($"  line {request.Line,-6} {request.Target}  request={request.RequestId}");
        if (pending.Count > PendingShown)
            Console.Out.WriteLine($"  … and {pending.Count - PendingShown} more (--json lists every one).");
    }

    public void Summary(BatchSummary summary)
    {
        if (json)
        {
            _json.Write("Summary", summary);
            return;
        }
        if (_failures.Count > 0)
        {
            Console.Out.WriteLine($"Failed ({_failures.Count}):");
            foreach (var (request, result) in _failures.OrderBy(f => f.Request.Line))
            {
                var failed = result.Failed!;
                Console.Out.WriteLine($"  line {request.Line,-6} {request.Target}  {failed.Failure}{(failed.LastStatus is { } s ? $" (status {s})" : "")}  request={request.RequestId}");
                Console.Out.WriteLine($"         {Printable.Of(failed.Detail)}");
            }
            Console.Out.WriteLine();
        }
        var rows = summary.Rows().ToList();
        var width = rows.Max(r => r.Label.Length);
        var title = summary.DryRun ? "Dry run: nothing was sent" : summary.File == BatchFile.StandardInput ? "standard input" : summary.File;
        Console.Out.WriteLine($"{"OUTCOME".PadRight(width)}  {"COUNT",7}    ({title})");
        foreach (var (label, count) in rows)
            Console.Out.WriteLine($"{label.PadRight(width)}  {count,7}");
    }
}
