using System.Text.RegularExpressions;
using RegistryCleaner.Common.Validation;
using RegistryCleaner.Contracts;
using RegistryCleaner.Worker.Matching;

namespace RegistryCleaner.Worker.Protection;

/// <summary>
/// What the operators of one registry have ruled out, whoever asks: repositories outside its scope, protected tags,
/// and publishers not on its allow-list. Every refusal names the rule, and is made before any call to the registry.
/// </summary>
public sealed class RegistryRules
{
    private const int PatternsShown = 5;

    private readonly HashSet<string>? _publishers;
    private readonly string? _worker;

    public RegistryRules(string registry, IReadOnlyList<RulePattern> scopes, IReadOnlyList<RulePattern> protectedTags,
        IReadOnlyCollection<string> allowedPublishers, string? workerIdentity)
    {
        Registry = registry;
        Scopes = scopes;
        ProtectedTags = protectedTags;
        _publishers = allowedPublishers.Count == 0 ? null : new HashSet<string>(allowedPublishers, StringComparer.Ordinal);
        _worker = workerIdentity;
    }

    public string Registry { get; }

    /// <summary>Empty when every repository is in scope.</summary>
    public IReadOnlyList<RulePattern> Scopes { get; }

    /// <summary>The global patterns first, then the registry's own.</summary>
    public IReadOnlyList<RulePattern> ProtectedTags { get; }

    public bool HasProtectedTags => ProtectedTags.Count > 0;

    /// <summary>The configuration key of the scope, for messages.</summary>
    public string ScopeKey => $"Registries:{Registry}:AllowedRepositories";

    private string PublishersKey => $"Registries:{Registry}:AllowedPublishers";

    /// <summary>
    /// The publisher must be verified by the broker (the AMQP user_id) and on the allow-list, where there is one.
    /// The worker's own broker user is always allowed: it sends the DeleteTag commands of retention runs and the scheduled runs themselves.
    /// </summary>
    public Refusal? CheckPublisher(string? verifiedPublisher)
    {
        if (_publishers is null)
            return null;
        if (string.IsNullOrEmpty(verifiedPublisher))
            return Forbidden($"Registry '{Registry}' accepts commands only from the broker users in {PublishersKey}, and this command carries no verified publisher. "
                + "Send it with the registry-cleaner Publisher over RabbitMQ, which sets the AMQP user_id property to its broker user; RequestedBy is free text and proves nothing.");
        if (_publishers.Contains(verifiedPublisher) || string.Equals(verifiedPublisher, _worker, StringComparison.Ordinal))
            return null;
        return Forbidden($"Broker user '{verifiedPublisher}' is not in {PublishersKey}: registry '{Registry}' accepts commands only from the users listed there. "
            + "Send the command as one of them, or ask an operator to add this user.");
    }

    public bool InScope(string repository)
    {
        if (Scopes.Count == 0)
            return true;
        try
        {
            return Scopes.Any(s => s.IsMatch(repository));
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    public Refusal? CheckRepository(string repository)
    {
        if (InScope(repository))
            return null;
        var shown = string.Join(" | ", Scopes.Take(PatternsShown).Select(s => s.Source)) + (Scopes.Count > PatternsShown ? " | …" : "");
        return Forbidden($"Repository '{repository}' is outside the scope of registry '{Registry}': it matches none of {ScopeKey} ({shown}). "
            + "Nothing was sent to the registry.");
    }

    /// <summary>The rule that protects a tag, or null. A pattern that cannot decide in time protects the tag: when unsure, keep.</summary>
    public RulePattern? ProtectionOf(string tag)
    {
        foreach (var pattern in ProtectedTags)
        {
            try
            {
                if (pattern.IsMatch(tag))
                    return pattern;
            }
            catch (RegexMatchTimeoutException)
            {
                return pattern;
            }
        }
        return null;
    }

    public Refusal? CheckTag(string tag) => ProtectionOf(tag) is { } rule
        ? Forbidden($"Tag '{tag}' is protected by {rule}: no command and no retention run may delete it. Nothing was sent to the registry.")
        : null;

    /// <summary>A repository deletion would delete every tag in it, so one protected tag refuses the whole deletion.</summary>
    public string? ProtectedTagsIn(string repository, IEnumerable<string> tags)
    {
        var found = tags.Select(t => (Tag: t, Rule: ProtectionOf(t))).Where(p => p.Rule is not null).ToList();
        if (found.Count == 0)
            return null;
        var shown = string.Join(", ", found.Take(PatternsShown).Select(p => $"'{p.Tag}' ({p.Rule})")) + (found.Count > PatternsShown ? $" and {found.Count - PatternsShown} more" : "");
        return $"Repository '{repository}' holds {found.Count} protected tag(s): {shown}. A repository deletion is refused whole: nothing was deleted.";
    }

    private static Refusal Forbidden(string detail) => new(FailureKind.Forbidden, detail);
}
