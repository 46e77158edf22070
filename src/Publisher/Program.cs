using System.CommandLine;
using RegistryCleaner.Publisher.Commands;
using RegistryCleaner.Publisher.Messaging;

var root = new RootCommand("Send deletion commands to the registry clean-up worker, watch their results and re-drive failed ones")
{
    DeleteTagCommand.Create(),
    DeleteTagsCommand.Create(),
    DeleteRepositoryCommand.Create(),
    WatchCommand.Create(),
    FailedCommand.Create(),
    RetentionCommand.Create(),
    HistoryCommand.Create(),
    RestoreCommand.Create(),
    ReclaimCommand.Create(),
};

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
        Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine("Run with --help for usage.");
    return ExitCodes.TimeoutOrUsage;
}
using var tracing = Tracing.Start(parse);
try
{
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (PublisherException e)
{
    Console.Error.WriteLine(e.Message);
    return e.ExitCode;
}
