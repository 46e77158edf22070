using RegistryCleaner.Common.Validation;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Protection;
using RegistryCleaner.Worker.Registries;

namespace RegistryCleaner.Worker.Deletion;

/// <summary>
/// Decides, before any registry call, whether a command may be sent on: first whether it is well formed (a refusal names
/// the field), then whether the registry's rules allow it (a refusal names the rule). The publisher it is given is the
/// broker-verified identity of whoever published the command, never the free-text RequestedBy.
/// </summary>
public sealed class CommandValidator(RegistryCatalog catalog, DeletionRules rules)
{
    public Refusal? Check(DeleteTag command, string? publisher, out IRegistryClient client) =>
        CheckTagCommand(command.RequestId, command.Registry, command.Repository, command.Tag, command.Reason, command.RequestedBy, command.Policy, publisher, out client)
        ?? rules.For(command.Registry).CheckTag(command.Tag);

    /// <summary>Protected tags inside the repository are not checked here: that needs a listing, which the consumer makes.</summary>
    public Refusal? Check(DeleteRepository command, string? publisher, out IRegistryClient client)
    {
        var refusal = CheckCommon(command.RequestId, command.Registry, command.Repository, command.Reason, command.RequestedBy, null, out client);
        if (refusal is not null)
            return refusal;
        var registry = rules.For(command.Registry);
        return registry.CheckPublisher(publisher) ?? registry.CheckRepository(command.Repository);
    }

    /// <summary>A restore is judged as a deletion of the same tag would be (scope, publisher), except that protected tags may come back.</summary>
    public Refusal? Check(RestoreTag command, string? publisher, out IRegistryClient client) =>
        CheckTagCommand(command.RequestId, command.Registry, command.Repository, command.Tag, command.Reason, command.RequestedBy, null, publisher, out client);

    private Refusal? CheckTagCommand(Guid requestId, string? registry, string? repository, string? tag, string? reason, string? requestedBy, string? policy,
        string? publisher, out IRegistryClient client)
    {
        var refusal = CheckCommon(requestId, registry, repository, reason, requestedBy, policy, out client) ?? CheckTag(tag);
        if (refusal is not null)
            return refusal;
        if (client.ValidateTag(tag!) is { } tagError)
            return new Refusal(FailureKind.Rejected, tagError);
        var registryRules = rules.For(registry!);
        return registryRules.CheckPublisher(publisher) ?? registryRules.CheckRepository(repository!);
    }

    /// <summary>A reclaim names one registry (or none: every registry whose rules let the publisher in).</summary>
    public Refusal? CheckRegistry(string? registry, string? publisher, out IRegistryClient client)
    {
        client = null!;
        switch (FieldChecks.RegistryName(registry))
        {
            case RegistryNameProblem.Missing:
                return Rejected("Registry is missing.");
            case RegistryNameProblem.UrlOrPath or RegistryNameProblem.NotAName:
                return new Refusal(FailureKind.UnknownRegistry, "Registry must be the name of a configured registry, not a URL or a path.");
        }
        if (!catalog.TryGet(registry!, out client))
            return new Refusal(FailureKind.UnknownRegistry, $"Registry '{registry}' is not configured. Configured: {string.Join(", ", catalog.Names.Order())}.");
        return rules.For(registry!).CheckPublisher(publisher);
    }

    private Refusal? CheckCommon(Guid requestId, string? registry, string? repository, string? reason, string? requestedBy, string? policy, out IRegistryClient client)
    {
        client = null!;
        if (requestId == Guid.Empty)
            return Rejected("RequestId is missing or empty.");
        switch (FieldChecks.RegistryName(registry))
        {
            case RegistryNameProblem.Missing:
                return Rejected("Registry is missing.");
            case RegistryNameProblem.UrlOrPath:
                return new Refusal(FailureKind.UnknownRegistry, "Registry must be the name of a configured registry, not a URL or a path.");
            case RegistryNameProblem.NotAName:
                return new Refusal(FailureKind.UnknownRegistry, $"Registry must be a configured name: letters, digits, '_', '-', '.', at most {NameRules.MaxRegistryName} characters.");
        }
        if (!catalog.TryGet(registry!, out client))
            return new Refusal(FailureKind.UnknownRegistry, $"Registry '{registry}' is not configured. Configured: {string.Join(", ", catalog.Names.Order())}.");

        var refusal = CheckText("Repository", repository, NameRules.MaxRepository)
            ?? CheckOptional("Reason", reason, NameRules.MaxReason)
            ?? CheckOptional("RequestedBy", requestedBy, NameRules.MaxRequestedBy)
            ?? CheckOptional("Policy", policy, NameRules.MaxRegistryName);
        if (refusal is not null)
            return refusal;
        return client.ValidateRepository(repository!) is { } error ? Rejected(error) : null;
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
