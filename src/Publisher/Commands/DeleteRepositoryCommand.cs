using System.CommandLine;
using RegistryCleaner.Contracts;

namespace RegistryCleaner.Publisher.Commands;

public static class DeleteRepositoryCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var registry = new Option<string>("--registry") { Description = "Configured registry name", Required = true };
        var repository = new Option<string>("--repository") { Description = "Repository, e.g. team/app", Required = true };
        var deleteTagsFirst = new Option<bool>("--delete-tags-first") { Description = "Where the registry refuses a non-empty repository, delete its tags first" };
        var reason = new Option<string?>("--reason") { Description = "Why, for the audit trail" };
        var requestedBy = new Option<string?>("--requested-by") { Description = "Who asks (free text, for people)", DefaultValueFactory = _ => Environment.UserName };
        var requestId = new Option<Guid?>("--request-id") { Description = "Reuse a RequestId so a repeated request is recognisable" };

        var command = new Command("delete-repository", "Delete a repository (with --delete-tags-first, its tags too)")
        {
            registry, repository, deleteTagsFirst, reason, requestedBy, requestId,
        };
        common.AddTo(command, waits: true);
        command.SetAction((parse, ct) =>
        {
            var id = parse.GetValue(requestId) ?? Guid.NewGuid();
            var message = new DeleteRepository
            {
                RequestId = id,
                Registry = parse.GetValue(registry)!,
                Repository = parse.GetValue(repository)!,
                DeleteTagsFirst = parse.GetValue(deleteTagsFirst),
                Reason = parse.GetValue(reason),
                RequestedBy = parse.GetValue(requestedBy),
            };
            return CommandRunner.SendAsync(QueueNames.DeleteRepository, message, id, DeleteTagCommand.Settings(common, parse), ct);
        });
        return command;
    }
}
