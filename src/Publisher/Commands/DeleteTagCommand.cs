using System.CommandLine;
using RegistryCleaner.Contracts;

namespace RegistryCleaner.Publisher.Commands;

public static class DeleteTagCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var registry = new Option<string>("--registry") { Description = "Configured registry name", Required = true };
        var repository = new Option<string>("--repository") { Description = "Repository, e.g. team/app", Required = true };
        var tag = new Option<string>("--tag") { Description = "The one tag to delete", Required = true };
        var reason = new Option<string?>("--reason") { Description = "Why, for the audit trail" };
        var requestedBy = new Option<string?>("--requested-by") { Description = "Who asks (free text, for people)", DefaultValueFactory = _ => Environment.UserName };
        var requestId = new Option<Guid?>("--request-id") { Description = "Reuse a RequestId so a repeated request is recognisable" };

        var command = new Command("delete-tag", "Delete exactly one tag; other tags of the same image are kept")
        {
            registry, repository, tag, reason, requestedBy, requestId,
        };
        common.AddTo(command, waits: true);
        command.SetAction((parse, ct) =>
        {
            var id = parse.GetValue(requestId) ?? Guid.NewGuid();
            var message = new DeleteTag
            {
                RequestId = id,
                Registry = parse.GetValue(registry)!,
                Repository = parse.GetValue(repository)!,
                Tag = parse.GetValue(tag)!,
                Reason = parse.GetValue(reason),
                RequestedBy = parse.GetValue(requestedBy),
            };
            return CommandRunner.SendAsync(QueueNames.DeleteTag, message, id, Settings(common, parse), ct);
        });
        return command;
    }

    internal static CommandSettings Settings(CommonOptions common, ParseResult parse) =>
        new(common.BrokerOf(parse), parse.GetValue(common.Json), parse.GetValue(common.Wait), TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(common.Timeout))));
}
