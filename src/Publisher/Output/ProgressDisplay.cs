using Spectre.Console;

namespace RegistryCleaner.Publisher.Output;

/// <summary>
/// Progress bars on standard error while work runs, only when standard error is a terminal (and not when JSON Lines
/// stream to the same terminal, which the redrawing would garble). Elsewhere the work simply runs.
/// </summary>
public static class ProgressDisplay
{
    public static bool Wanted(bool json, bool noProgress) =>
        !noProgress
        && !Console.IsErrorRedirected
        && (!json || Console.IsOutputRedirected)
        && Environment.GetEnvironmentVariable("TERM") != "dumb";

    /// <summary>Runs <paramref name="work"/> while bars show each counter against <paramref name="total"/>, redrawn ten times a second.</summary>
    public static async Task RunAsync(bool show, long total, IReadOnlyList<ProgressLine> lines, Func<Task> work)
    {
        if (!show)
        {
            await work();
            return;
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Error),
            // Standard error is a terminal (checked above) even when standard input or output are redirected.
            Interactive = InteractionSupport.Yes,
        });
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var bars = lines.Select(l => (Line: l, Task: context.AddTask(Markup.Escape(l.Description()), maxValue: Math.Max(1, total)))).ToList();
                var running = work();
                while (true)
                {
                    foreach (var (line, task) in bars)
                    {
                        task.Value = line.Value();
                        task.Description = Markup.Escape(line.Description());
                    }
                    if (running.IsCompleted)
                        break;
                    await Task.WhenAny(running, Task.Delay(100));
                }
                foreach (var (_, task) in bars)
                    task.StopTask();
                await running;
            });
    }
}

/// <summary>One bar: its current count and its label.</summary>
public sealed record ProgressLine(Func<long> Value, Func<string> Description);
