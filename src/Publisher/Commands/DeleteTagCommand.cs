using System.CommandLine;
using RegistryCleaner.Contracts;

namespace RegistryCleaner.Publisher.Commands;

public static class DeleteTagCommand
{
    public static Command Create()
    {
        var tag = new Option<string>("--tag") { Description = "The one tag to delete", Required = true };
        return SingleDeletion.Create("delete-tag", "Delete exactly one tag; other tags of the same image are kept", tag, QueueNames.DeleteTag,
            (parse, target) => new DeleteTag
            {
                RequestId = target.RequestId,
                Registry = target.Registry,
                Repository = target.Repository,
                Tag = parse.GetValue(tag)!,
                Reason = target.Reason,
                RequestedBy = target.RequestedBy,
            });
    }
}
