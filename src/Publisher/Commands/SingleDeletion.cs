using System.CommandLine;

namespace RegistryCleaner.Publisher.Commands;

/// <summary>
/// delete-tag and delete-repository: one deletion of one target in a configured registry, sent under a RequestId the
/// caller may choose.
/// </summary>
internal static class SingleDeletion
{
    public sealed record Target(Guid RequestId, string Registry, string Repository, string? Reason, string? RequestedBy);

    /// <param name="what">The option that says what to delete in the repository, listed after --repository.</param>
    public static Command Create<T>(string name, string description, Option what, string queue, Func<ParseResult, Target, T> message) where T : class
    {
        var common = new CommonOptions();
        var registry = new Option<string>("--registry") { Description = "Configured registry name", Required = true };
        var repository = new Option<string>("--repository") { Description = "Repository, e.g. team/app", Required = true };
        var reason = CommonOptions.Reason("Why, for the audit trail");
        var requestedBy = CommonOptions.RequestedBy();
        var requestId = new Option<Guid?>("--request-id") { Description = "Reuse a RequestId so a repeated request is recognisable" };

        var command = new Command(name, description)
        {
            registry, repository, what, reason, requestedBy, requestId,
        };
        common.AddTo(command, waits: true);
        command.SetAction((parse, ct) =>
        {
            var target = new Target(parse.GetValue(requestId) ?? Guid.NewGuid(), parse.GetValue(registry)!, parse.GetValue(repository)!,
                parse.GetValue(reason), parse.GetValue(requestedBy));
            return CommandRunner.SendAsync(queue, message(parse, target), target.RequestId, common.SettingsOf(parse), ct);
        });
        return command;
    }
}
