using RegistryCleaner.Common;
using RegistryCleaner.Common.Validation;
using RegistryCleaner.Contracts;

namespace RegistryCleaner.Publisher.Batches;

/// <summary>
/// Checks a line with the rules every registry kind shares, with the worker's own code (<see cref="FieldChecks"/>), so a bad
/// line is caught before anything is sent. Whether the registry name is configured only the worker knows: it answers that
/// with an <c>UnknownRegistry</c> failure.
/// </summary>
public sealed class BatchValidator(string? defaultReason, string? requestedBy)
{
    public (BatchRequest? Request, BatchProblem? Problem) Check(BatchFields fields)
    {
        var problem = CheckRegistry(fields.Registry)
            ?? CheckRepository(fields.Repository)
            ?? FieldChecks.Required("tag", fields.Tag, NameRules.MaxTagField)
            ?? FieldChecks.Optional("reason", fields.Reason, NameRules.MaxReason);
        if (problem is not null)
            return (null, new BatchProblem(fields.Line, problem));

        Guid requestId;
        var given = fields.RequestId is not null;
        if (given)
        {
            if (!Guid.TryParse(fields.RequestId, out requestId) || requestId == Guid.Empty)
                return (null, new BatchProblem(fields.Line, $"requestId \"{Cut(fields.RequestId!)}\" is not a GUID such as 3f2b8c1e-5d4a-4b7e-9a61-0c2d7e8f9a10 (leave it out to derive one from the line)."));
        }
        else
        {
            requestId = DerivedId(fields.Registry!, fields.Repository!, fields.Tag!);
        }

        var command = new DeleteTag
        {
            RequestId = requestId,
            Registry = fields.Registry!,
            Repository = fields.Repository!,
            Tag = fields.Tag!,
            Reason = fields.Reason ?? defaultReason,
            RequestedBy = requestedBy,
        };
        return (new BatchRequest(fields.Line, command, given), null);
    }

    /// <summary>The same target gives the same RequestId in every run, so a file sent twice asks for the same requests twice.</summary>
    public static Guid DerivedId(string registry, string repository, string tag) =>
        DeterministicId.From("delete-tag", registry.ToLowerInvariant(), repository, tag);

    private static string? CheckRegistry(string? registry) => FieldChecks.RegistryName(registry) switch
    {
        RegistryNameProblem.Missing => "registry is missing.",
        RegistryNameProblem.UrlOrPath => $"registry \"{Cut(registry!)}\" must be the name of a configured registry, not a URL or a path.",
        RegistryNameProblem.NotAName => $"registry \"{Cut(registry!)}\" is not a registry name: letters, digits, '_', '-', '.', starting with a letter or digit, at most {NameRules.MaxRegistryName} characters.",
        _ => null,
    };

    /// <summary>
    /// The worker's checks, and before sending, what the grammar of every registry kind refuses in a repository name: white space
    /// and what would change the request URL. Tags get the worker's checks only: an IMS key may hold spaces.
    /// </summary>
    private static string? CheckRepository(string? repository)
    {
        if (FieldChecks.Required("repository", repository, NameRules.MaxRepository) is { } problem)
            return problem;
        if (repository!.Trim() != repository)
            return $"repository \"{Cut(repository)}\" starts or ends with white space.";
        if (repository.Contains(' ') || FieldChecks.ChangesUrl(repository))
            return $"repository \"{Cut(repository)}\" contains a space, '..', '?', '#', '%' or '\\', which no registry accepts in a name.";
        return null;
    }

    /// <summary>Echoes a value into a message: short, and with control characters shown as '?', so it cannot rewrite the terminal.</summary>
    private static string Cut(string value)
    {
        var shown = new string(value.Take(80).Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return value.Length > 80 ? shown + "…" : shown;
    }
}
