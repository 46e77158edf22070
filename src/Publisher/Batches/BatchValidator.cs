using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Deletion;
using RegistryCleaner.Worker.Retention;

namespace RegistryCleaner.Publisher.Batches;

/// <summary>
/// Checks a line with the rules every registry kind shares, as the worker's own validator does, so a bad line is
/// caught before anything is sent. Whether the registry name is configured only the worker knows: it answers that
/// with an <c>UnknownRegistry</c> failure.
/// </summary>
public sealed class BatchValidator(string? defaultReason, string? requestedBy)
{
    public (BatchRequest? Request, BatchProblem? Problem) Check(BatchFields fields)
    {
        var problem = CheckRegistry(fields.Registry)
            ?? CheckText("repository", fields.Repository, NameRules.MaxRepository, pathLike: true)
            ?? CheckText("tag", fields.Tag, NameRules.MaxTagField, pathLike: false)
            ?? CheckReason(fields.Reason);
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

    private static string? CheckRegistry(string? registry)
    {
        if (string.IsNullOrEmpty(registry))
            return "registry is missing.";
        if (registry.Contains("://", StringComparison.Ordinal) || registry.Contains('/'))
            return $"registry \"{Cut(registry)}\" must be the name of a configured registry, not a URL or a path.";
        return NameRules.IsRegistryName(registry)
            ? null
            : $"registry \"{Cut(registry)}\" is not a registry name: letters, digits, '_', '-', '.', starting with a letter or digit, at most {NameRules.MaxRegistryName} characters.";
    }

    private static string? CheckText(string field, string? value, int maxLength, bool pathLike)
    {
        if (string.IsNullOrEmpty(value))
            return $"{field} is missing.";
        if (value.Length > maxLength)
            return $"{field} is {value.Length} characters long; at most {maxLength} are allowed.";
        if (NameRules.HasControlCharacter(value))
            return $"{field} contains a control character (such as NUL, CR or LF).";
        if (value.Trim() != value)
            return $"{field} \"{Cut(value)}\" starts or ends with white space.";
        if (pathLike && (value.Contains("..", StringComparison.Ordinal) || value.IndexOfAny(['?', '#', '%', '\\', ' ']) >= 0))
            return $"{field} \"{Cut(value)}\" contains a space, '..', '?', '#', '%' or '\\', which no registry accepts in a name.";
        return null;
    }

    private static string? CheckReason(string? reason)
    {
        if (reason is null)
            return null;
        if (reason.Length > NameRules.MaxReason)
            return $"reason is {reason.Length} characters long; at most {NameRules.MaxReason} are allowed.";
        return NameRules.HasControlCharacter(reason) ? "reason contains a control character (such as NUL, CR or LF)." : null;
    }

    /// <summary>Echoes a value into a message: short, and with control characters shown as '?', so it cannot rewrite the terminal.</summary>
    private static string Cut(string value)
    {
        var shown = new string(value.Take(80).Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return value.Length > 80 ? shown + "…" : shown;
    }
}
