using RegistryCleaner.Common.Validation;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Protection;
using RegistryCleaner.Worker.Registries;
using RegistryCleaner.Worker.Registries.Oci;

namespace RegistryCleaner.Worker.Deletion;

/// <summary>
/// Decides, before any registry call, whether a command may be sent on: first whether it is well formed (a refusal names
/// the field), then whether the registry's rules allow it (a refusal names the rule). The publisher it is given is the
/// broker-verified identity of whoever published the command, never the free-text RequestedBy.
/// </summary>
public sealed class CommandValidator(RegistryCatalog catalog, DeletionRules rules)
{
    public Judgement Check(DeleteTag command, string? publisher)
    {
        var judgement = CheckTagCommand(command.RequestId, command.Registry, command.Repository, command.Tag, command.Reason, command.RequestedBy, command.Policy, publisher);
        if (judgement.Refusal is null && command.OnlyIfUntagged is { } subject && !OciDigest.IsValid(subject))
            return judgement with { Refusal = new Refusal(FailureKind.Rejected, "OnlyIfUntagged must be an image digest: algorithm:hex (sha256: and 64 lowercase hex digits), at most 200 characters.") };
        if (judgement.Refusal is null && command.OnlyIfDigest is { } expected)
        {
            if (!OciDigest.IsValid(expected))
                return judgement with { Refusal = new Refusal(FailureKind.Rejected, "OnlyIfDigest must be an image digest: algorithm:hex (sha256: and 64 lowercase hex digits), at most 200 characters.") };
            if (judgement.Client is not IReadingTagDelete)
                return judgement with { Refusal = new Refusal(FailureKind.Rejected, $"OnlyIfDigest cannot be checked on registry '{judgement.Client?.Name}': its delete API does not say what a tag points at. Send the command without it.") };
        }
        return judgement.Refusal is null ? judgement with { Refusal = rules.For(command.Registry).CheckTag(command.Tag) } : judgement;
    }

    /// <summary>Protected tags inside the repository are not checked here: that needs a listing, which the consumer makes.</summary>
    public Judgement Check(DeleteRepository command, string? publisher)
    {
        var judgement = CheckCommon(command.RequestId, command.Registry, command.Repository, command.Reason, command.RequestedBy, null);
        if (judgement.Refusal is not null)
            return judgement;
        var registry = rules.For(command.Registry);
        return judgement with { Refusal = registry.CheckPublisher(publisher) ?? registry.CheckRepository(command.Repository) };
    }

    /// <summary>A restore is judged as a deletion of the same tag would be (scope, publisher), except that protected tags may come back.</summary>
    public Judgement Check(RestoreTag command, string? publisher) =>
        CheckTagCommand(command.RequestId, command.Registry, command.Repository, command.Tag, command.Reason, command.RequestedBy, null, publisher);

    private Judgement CheckTagCommand(Guid requestId, string? registry, string? repository, string? tag, string? reason, string? requestedBy, string? policy,
        string? publisher)
    {
        var judgement = CheckCommon(requestId, registry, repository, reason, requestedBy, policy);
        if (judgement.Refusal is not null || judgement.Client is not { } client)
            return judgement;
        if (CheckTag(tag) is { } refusal)
            return judgement with { Refusal = refusal };
        if (client.ValidateTag(tag!) is { } tagError)
            return judgement with { Refusal = new Refusal(FailureKind.Rejected, tagError) };
        var registryRules = rules.For(registry!);
        return judgement with { Refusal = registryRules.CheckPublisher(publisher) ?? registryRules.CheckRepository(repository!) };
    }

    /// <summary>A reclaim names one registry (or none: every registry whose rules let the publisher in).</summary>
    public Judgement CheckRegistry(string? registry, string? publisher)
    {
        var judgement = Resolve(registry, "Registry must be the name of a configured registry, not a URL or a path.");
        return judgement.Refusal is null ? judgement with { Refusal = rules.For(registry!).CheckPublisher(publisher) } : judgement;
    }

    private Judgement CheckCommon(Guid requestId, string? registry, string? repository, string? reason, string? requestedBy, string? policy)
    {
        if (requestId == Guid.Empty)
            return new Judgement(null, Rejected("RequestId is missing or empty."));
        var judgement = Resolve(registry,
            $"Registry must be a configured name: letters, digits, '_', '-', '.', at most {NameRules.MaxRegistryName} characters.");
        if (judgement.Refusal is not null || judgement.Client is not { } client)
            return judgement;
        var refusal = CheckText("Repository", repository, NameRules.MaxRepository)
            ?? CheckOptional("Reason", reason, NameRules.MaxReason)
            ?? CheckOptional("RequestedBy", requestedBy, NameRules.MaxRequestedBy)
            ?? CheckOptional("Policy", policy, NameRules.MaxRegistryName)
            ?? (client.ValidateRepository(repository!) is { } error ? Rejected(error) : null);
        return judgement with { Refusal = refusal };
    }

    /// <param name="notAName">What a name of characters no registry name has is told (reclaim runs say it as they say a URL).</param>
    private Judgement Resolve(string? registry, string notAName)
    {
        switch (FieldChecks.RegistryName(registry))
        {
            case RegistryNameProblem.Missing:
                return new Judgement(null, Rejected("Registry is missing."));
            case RegistryNameProblem.UrlOrPath:
                return new Judgement(null, new Refusal(FailureKind.UnknownRegistry, "Registry must be the name of a configured registry, not a URL or a path."));
            case RegistryNameProblem.NotAName:
                return new Judgement(null, new Refusal(FailureKind.UnknownRegistry, notAName));
        }
        return catalog.TryGet(registry!, out var client)
            ? new Judgement(client, null)
            : new Judgement(null, new Refusal(FailureKind.UnknownRegistry, $"Registry '{registry}' is not configured. Configured: {string.Join(", ", catalog.Names.Order())}."));
    }

    private static Refusal? CheckText(string field, string? value, int maxLength)
    {
        if (FieldChecks.Required(field, value, maxLength) is { } problem)
            return Rejected(problem);
        return FieldChecks.ChangesUrl(value!) ? Rejected($"{field} contains '..', '?', '#', '%' or '\\', which would change the request URL.") : null;
    }

    /// <summary>Only what is true for every kind; each registry kind adds its own grammar (IMS keys, for one, may hold any printable text).</summary>
    private static Refusal? CheckTag(string? tag) =>
        FieldChecks.Required("Tag", tag, NameRules.MaxTagField) is { } problem ? Rejected(problem) : null;

    private static Refusal? CheckOptional(string field, string? value, int maxLength) =>
        FieldChecks.Optional(field, value, maxLength) is { } problem ? Rejected(problem) : null;

    private static Refusal Rejected(string detail) => new(FailureKind.Rejected, detail);
}
