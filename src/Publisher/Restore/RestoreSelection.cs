using RegistryCleaner.Contracts;
using RegistryCleaner.Publisher.Batches;
using RegistryCleaner.Publisher.History;
using RegistryCleaner.Publisher.Messaging;

namespace RegistryCleaner.Publisher.Restore;

/// <summary>Turns what the operator chose (a request, a run, named tags, a file) into one <see cref="RestoreTag"/> per tag.</summary>
public static class RestoreSelection
{
    public sealed record Choice(Guid? Request, Guid? Run, string? Registry, string? Repository, string[] Tags, string? File, bool DryRun, string? Reason, string? RequestedBy);

    public static string? UsageError(Choice c)
    {
        var ways = (c.Request is not null ? 1 : 0) + (c.Run is not null ? 1 : 0) + (c.Tags.Length > 0 ? 1 : 0) + (c.File is not null ? 1 : 0);
        if (ways != 1)
            return "Choose what to restore in exactly one way: --request ID, --run ID, --registry R --repository X --tag T (repeatable), or --file.";
        if (c.Tags.Length > 0 && (string.IsNullOrEmpty(c.Registry) || string.IsNullOrEmpty(c.Repository)))
            return "--tag needs --registry and --repository.";
        if (c.Tags.Length == 0 && (c.Registry is not null || c.Repository is not null) && c.Request is null && c.Run is null)
            return "--registry and --repository need --tag.";
        return null;
    }

    /// <summary>The commands to send; a usage error (exit 2) when the selection is empty or a line of the file is bad, before anything is sent.</summary>
    public static async Task<List<RestoreTag>> CommandsAsync(Choice c, PublisherBus bus, CancellationToken ct)
    {
        if (c.Request is not null || c.Run is not null)
            return await FromJournalAsync(c, bus, ct);
        if (c.File is not null)
            return await FromFileAsync(c, ct);
        return c.Tags.Distinct(StringComparer.Ordinal).Select(tag => Command(c, c.Registry!, c.Repository!, tag, null)).ToList();
    }

    private static async Task<List<RestoreTag>> FromJournalAsync(Choice c, PublisherBus bus, CancellationToken ct)
    {
        var query = new QueryJournal { RequestId = Guid.NewGuid(), Request = c.Request, RunId = c.Run, Registry = c.Registry, Repository = c.Repository };
        var latest = new Dictionary<(string, string, string), JournalRecord>();
        await foreach (var entry in JournalReader.ReadAsync(bus, query, ct))
        {
            if (entry is { Action: JournalAction.DeleteTag, Outcome: JournalOutcome.Deleted, Digest: not null, Tag: not null })
                latest[(entry.Registry, entry.Repository, entry.Tag)] = entry;
        }
        if (latest.Count == 0)
        {
            var what = c.Request is { } request ? $"request {request}" : $"run {c.Run}";
            throw new PublisherException($"The journal holds no completed tag deletion with a recorded digest for {what}; nothing was sent.", ExitCodes.TimeoutOrUsage);
        }
        return latest.Values.Select(e => Command(c, e.Registry, e.Repository, e.Tag!, e.RequestId)).ToList();
    }

    private static async Task<List<RestoreTag>> FromFileAsync(Choice c, CancellationToken ct)
    {
        var content = await BatchFile.ReadAsync(c.File!, ct);
        var file = BatchFile.Parse(content, BatchFormats.Resolve(null, c.File!, content), new BatchValidator(c.Reason, c.RequestedBy));
        if (file.Problems.Count > 0)
        {
            var lines = string.Join(Environment.NewLine, file.Problems.Take(20).Select(p => $"  line {p.Line}: {p.Message}"));
            throw new PublisherException($"{file.Problems.Count} line(s) of {c.File} are invalid; nothing was sent:{Environment.NewLine}{lines}", ExitCodes.TimeoutOrUsage);
        }
        if (file.Requests.Count == 0)
            throw new PublisherException($"{c.File} names no tag; nothing was sent.", ExitCodes.TimeoutOrUsage);
        return file.Requests.Select(r => Command(c, r.Command.Registry, r.Command.Repository, r.Command.Tag, null)).ToList();
    }

    private static RestoreTag Command(Choice c, string registry, string repository, string tag, Guid? deletion) => new()
    {
        RequestId = Guid.NewGuid(),
        Registry = registry,
        Repository = repository,
        Tag = tag,
        DeletionRequestId = deletion,
        DryRun = c.DryRun,
        Reason = c.Reason,
        RequestedBy = c.RequestedBy,
    };
}
