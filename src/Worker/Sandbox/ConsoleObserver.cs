using MassTransit;
using RegistryCleaner.Common;
using RegistryCleaner.Contracts;
namespace RegistryCleaner.Worker.Sandbox;

/// <summary>Prints result events as rows, as an observer of the bus would see them.</summary>
public sealed class ConsoleObserver : IConsumer<DeletionSucceeded>, IConsumer<DeletionFailed>, IConsumer<RetentionRunCompleted>
{
    public Task Consume(ConsumeContext<DeletionSucceeded> context) => Print(ResultRows.Of(context.Message));

    public Task Consume(ConsumeContext<DeletionFailed> context) => Print(ResultRows.Of(context.Message));

    public Task Consume(ConsumeContext<RetentionRunCompleted> context)
    {
        var run = context.Message;
        var lines = new List<string> { $"{run.CompletedAt:HH:mm:ss}  retention {run.Policy}: {run.Status}, {run.TagsScanned} scanned, {run.TagsToDelete} to delete, {run.DeletionsSent} deletions sent {run.Reason}" };
        lines.AddRange(run.UnmatchedPatterns.Select(p => $"          warning: {p.Key} '{p.Pattern}' matched no {p.MatchedAgainst}"));
        lines.AddRange(run.Repositories.SelectMany(r => r.Condemned.Select(c => $"          - {r.Repository}:{c.Tag} ({c.Rule})")));
        return Print(string.Join('\n', lines));
    }

    private static Task Print(string row)
    {
        lock (Console.Out)
            Console.WriteLine(row);
        return Task.CompletedTask;
    }
}
