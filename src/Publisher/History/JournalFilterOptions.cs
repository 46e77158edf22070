using System.CommandLine;
using System.Globalization;
using RegistryCleaner.Common.Validation;
using RegistryCleaner.Contracts;
using RegistryCleaner.Publisher.Messaging;

namespace RegistryCleaner.Publisher.History;

/// <summary>The journal filters of <c>history</c>: every filter given must match.</summary>
public sealed class JournalFilterOptions
{
    public Option<string?> Registry { get; } = new("--registry") { Description = "Only this registry" };
    public Option<string?> Repository { get; } = new("--repository") { Description = "Only this repository (exact)" };
    public Option<string?> Tag { get; } = new("--tag") { Description = "Only tags matching this pattern: * any characters, ? one character" };
    public Option<string?> Publisher { get; } = new("--publisher") { Description = "Only commands of this verified publisher (broker user)" };
    public Option<string?> Policy { get; } = new("--policy") { Description = "Only deletions of this retention policy" };
    public Option<Guid?> Run { get; } = new("--run") { Description = "Only entries of this retention run (or reclaim run)" };
    public Option<Guid?> Request { get; } = new("--request") { Description = "Only entries of this RequestId" };
    public Option<string?> Since { get; } = new("--since") { Description = "From this time on: an ISO 8601 time (2026-12-01T00:00Z) or an age (24h, 7d, 2w)" };
    public Option<string?> Until { get; } = new("--until") { Description = "Up to this time: an ISO 8601 time or an age" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Registry, Repository, Tag, Publisher, Policy, Run, Request, Since, Until })
            command.Options.Add(option);
    }

    public QueryJournal QueryOf(ParseResult parse, DateTimeOffset now) => new()
    {
        RequestId = Guid.NewGuid(),
        Registry = parse.GetValue(Registry),
        Repository = parse.GetValue(Repository),
        Tag = parse.GetValue(Tag),
        Publisher = parse.GetValue(Publisher),
        Policy = parse.GetValue(Policy),
        RunId = parse.GetValue(Run),
        Request = parse.GetValue(Request),
        Since = Time(parse.GetValue(Since), "--since", now),
        Until = Time(parse.GetValue(Until), "--until", now),
    };

    /// <summary>An absolute time, or an age counted back from now.</summary>
    public static DateTimeOffset? Time(string? text, string option, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            return at;
        if (Durations.TryParse(text, out var age, out _))
            return now - age;
        throw new PublisherException($"{option} '{text}' is neither an ISO 8601 time (2026-12-01T00:00Z) nor an age (24h, 7d, 2w).", ExitCodes.TimeoutOrUsage);
    }
}
