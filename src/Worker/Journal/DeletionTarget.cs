using RegistryCleaner.Contracts;

namespace RegistryCleaner.Worker.Journal;

/// <summary>What a command asked to delete, and who verifiably asked, as it is repeated in its result event.</summary>
public sealed record DeletionTarget(Guid RequestId, string Registry, string Repository, string? Tag, string? RequestedBy, Guid? RunId, string? Policy)
{
    /// <summary>The broker user that published the command (the AMQP user_id RabbitMQ checked); null when there was none.</summary>
    public string? VerifiedPublisher { get; init; }

    public static DeletionTarget Of(DeleteTag c, string? publisher) =>
        new(c.RequestId, c.Registry ?? "", c.Repository ?? "", c.Tag ?? "", c.RequestedBy, c.RunId, c.Policy) { VerifiedPublisher = publisher };

    public static DeletionTarget Of(DeleteRepository c, string? publisher) =>
        new(c.RequestId, c.Registry ?? "", c.Repository ?? "", null, c.RequestedBy, null, null) { VerifiedPublisher = publisher };

    /// <summary>Identity fields are echoed into events and logs; an oversized or hostile value is cut so that it cannot flood them.</summary>
    public DeletionTarget Bounded() => this with
    {
        Registry = Cut(Registry, 128),
        Repository = Cut(Repository, 512),
        Tag = Tag is null ? null : Cut(Tag, 256),
        RequestedBy = RequestedBy is null ? null : Cut(RequestedBy, 256),
        Policy = Policy is null ? null : Cut(Policy, 128),
        VerifiedPublisher = VerifiedPublisher is null ? null : Cut(VerifiedPublisher, 256),
    };

    public override string ToString() => Tag is null ? $"{Registry}/{Repository}" : $"{Registry}/{Repository}:{Tag}";

    private static string Cut(string value, int max)
    {
        var clean = string.Create(Math.Min(value.Length, max), value, static (span, v) =>
        {
            for (var i = 0; i < span.Length; i++)
                span[i] = char.IsControl(v[i]) ? '\uFFFD' : v[i];
        });
        return value.Length > max ? clean + "…" : clean;
    }
}
