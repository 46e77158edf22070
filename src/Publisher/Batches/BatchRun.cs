using RegistryCleaner.Publisher.Messaging;
using RegistryCleaner.Publisher.Output;

namespace RegistryCleaner.Publisher.Batches;

/// <summary>
/// <c>delete-tags</c>: check every line first; send nothing from a file with bad lines unless told to skip them;
/// send with a progress bar; with --wait, count results until every request has one or the timeout ends the wait.
/// </summary>
public static class BatchRun
{
    public static async Task<int> RunAsync(BatchOptions options, CancellationToken ct)
    {
        var settings = options.Settings;
        var content = await BatchFile.ReadAsync(options.Path, ct);
        var format = BatchFormats.Resolve(options.Format, options.Path, content);
        var file = BatchFile.Parse(content, format, new BatchValidator(options.Reason, options.RequestedBy));
        var report = new BatchReport(settings.Json);
        report.Problems(file);
        var summary = new BatchSummary
        {
            File = options.Path,
            Format = format,
            Requests = file.Requests.Count,
            Invalid = file.Problems.Count,
            Duplicates = file.Duplicates.Count,
            DryRun = options.DryRun,
        };

        if (file.Problems.Count > 0 && !options.SkipInvalid)
        {
            Console.Error.WriteLine($"{file.Problems.Count} line(s) cannot be sent, so nothing was sent. Fix them, or pass --skip-invalid to send the other {file.Requests.Count}.");
            return Finish(report, summary with { ExitCode = ExitCodes.TimeoutOrUsage });
        }
        if (options.DryRun || file.Requests.Count == 0)
        {
            foreach (var request in file.Requests)
                report.WouldSend(request);
            if (file.Requests.Count == 0)
                Console.Error.WriteLine("The file holds no request to send.");
            var exit = file.Problems.Count > 0 ? (file.Requests.Count == 0 ? ExitCodes.TimeoutOrUsage : ExitCodes.Failed) : ExitCodes.Success;
            return Finish(report, summary with { ExitCode = exit });
        }

        await using var bus = await PublisherBus.ConnectAsync(settings.Broker, listen: settings.Wait, TimeSpan.FromSeconds(30), ct);
        var completions = new Completions<BatchRequest>(file.Requests.Select(r => KeyValuePair.Create(r.RequestId, r)));
        using var waitLimit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        long sent = 0;
        Exception? sendFailure = null;
        var allAnswered = false;

        await ProgressDisplay.RunAsync(ProgressDisplay.Wanted(settings.Json, options.NoProgress), file.Requests.Count, Bars(settings.Wait, () => Interlocked.Read(ref sent), completions),
            async () =>
            {
                var waiting = settings.Wait ? completions.WaitAsync(bus.Results, report.Result, waitLimit.Token) : null;
                try
                {
                    await BatchSender.SendAsync(bus, file.Requests, request =>
                    {
                        Interlocked.Increment(ref sent);
                        if (!settings.Wait)
                            report.Planned(request, "Sent");
                    }, ct);
                }
                catch (Exception e)
                {
                    sendFailure = e;
                    await waitLimit.CancelAsync();
                }
                if (waiting is null)
                    return;
                waitLimit.CancelAfter(settings.Timeout);
                allAnswered = await waiting;
            });

        summary = summary with { Sent = sent };
        if (sendFailure is not null)
        {
            var why = ct.IsCancellationRequested ? "interrupted" : $"the broker failed ({sendFailure.Message})";
            Console.Error.WriteLine($"Sending stopped after {sent} of {file.Requests.Count} request(s): {why}. Re-running the same file is safe: every line keeps its RequestId.");
            return Finish(report, summary with { ExitCode = ExitCodes.TimeoutOrUsage });
        }
        if (!settings.Wait)
            return Finish(report, summary with { ExitCode = file.Problems.Count > 0 ? ExitCodes.Failed : ExitCodes.Success });

        report.Pending(completions.Pending);
        if (!allAnswered && ct.IsCancellationRequested)
            Console.Error.WriteLine($"Interrupted while waiting: {completions.Pending.Count} request(s) had no result yet; they stay queued for the worker (see `watch`).");
        else if (!allAnswered)
            Console.Error.WriteLine($"{completions.Pending.Count} request(s) had no result within {settings.Timeout.TotalSeconds:F0} s; they stay queued for the worker (see `watch`).");
        var code = !allAnswered ? ExitCodes.TimeoutOrUsage
            : completions.Failed > 0 || file.Problems.Count > 0 ? ExitCodes.Failed
            : ExitCodes.Success;
        return Finish(report, summary with
        {
            Deleted = completions.Deleted,
            AlreadyAbsent = completions.AlreadyAbsent,
            Failed = completions.Failed,
            Pending = completions.Pending.Count,
            TimedOut = !allAnswered,
            ExitCode = code,
        });
    }

    private static IReadOnlyList<ProgressLine> Bars(bool wait, Func<long> sent, Completions<BatchRequest> completions)
    {
        var sending = new ProgressLine(sent, () => "sent");
        if (!wait)
            return [sending];
        return [sending, new ProgressLine(() => completions.Completed,
            () => $"done: {completions.Deleted} deleted, {completions.AlreadyAbsent} already absent, {completions.Failed} failed")];
    }

    private static int Finish(BatchReport report, BatchSummary summary)
    {
        report.Summary(summary);
        return summary.ExitCode;
    }
}
