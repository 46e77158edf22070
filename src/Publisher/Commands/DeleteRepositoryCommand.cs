using System.CommandLine;
using RegistryCleaner.Contracts;

namespace RegistryCleaner.Publisher.Commands;

public static class DeleteRepositoryCommand
{
    public static Command Create()
    {
        var deleteTagsFirst = new Option<bool>("--delete-tags-first") { Description = "Where the registry refuses a non-empty repository, delete its tags first" };
        return SingleDeletion.Create("delete-repository", "Delete a repository (with --delete-tags-first, its tags too)", deleteTagsFirst, QueueNames.DeleteRepository,
            (parse, target) => new DeleteRepository
            {
                RequestId = target.RequestId,
                Registry = target.Registry,
                Repository = target.Repository,
                DeleteTagsFirst = parse.GetValue(deleteTagsFirst),
                Reason = target.Reason,
                RequestedBy = target.RequestedBy,
            });
    }
}
