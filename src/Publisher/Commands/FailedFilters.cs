using System.CommandLine;
using RegistryCleaner.Publisher.Failed;

namespace RegistryCleaner.Publisher.Commands;

/// <summary>The options that choose failed commands, shared by <c>failed list</c> and <c>failed redrive</c>.</summary>
public sealed class FailedFilters
{
    public Option<Guid[]> Request { get; } = new("--request") { Description = "Only the command with this RequestId (or retention RunId); repeatable" };
    public Option<string[]> Queue { get; } = new("--queue") { Description = $"Only this command queue, e.g. delete-tag (default: {string.Join(", ", FailedCommand.CommandQueues)}); repeatable" };
    public Option<string[]> Registry { get; } = new("--registry") { Description = "Only commands for this registry; repeatable" };
    public Option<string[]> Failure { get; } = new("--failure") { Description = "Only this failure kind, e.g. RetriesExhausted or UnknownRegistry; repeatable" };

    public void AddTo(Command command)
    {
        command.Options.Add(Request);
        command.Options.Add(Queue);
        command.Options.Add(Registry);
        command.Options.Add(Failure);
    }

    /// <summary>The error queues to read: "delete-tag" and "delete-tag_error" both name delete-tag's.</summary>
    public IReadOnlyList<string> QueuesOf(ParseResult parse)
    {
        var queues = parse.GetValue(Queue) is { Length: > 0 } given ? given : FailedCommand.CommandQueues;
        return queues.Select(q => q.EndsWith(FailedMessage.ErrorSuffix, StringComparison.Ordinal) ? q : q + FailedMessage.ErrorSuffix).Distinct().ToList();
    }

    public Func<FailedMessage, bool> Of(ParseResult parse)
    {
        var requests = (parse.GetValue(Request) ?? []).ToHashSet();
        var registries = (parse.GetValue(Registry) ?? []).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var failures = (parse.GetValue(Failure) ?? []).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return message =>
            (requests.Count == 0 || message.RequestId is { } id && requests.Contains(id))
            && (registries.Count == 0 || message.Registry is { } registry && registries.Contains(registry))
            && (failures.Count == 0 || failures.Contains(message.Failure));
    }

    public bool AnyGiven(ParseResult parse) =>
        parse.GetValue(Request) is { Length: > 0 } || parse.GetValue(Registry) is { Length: > 0 } || parse.GetValue(Failure) is { Length: > 0 };
}
