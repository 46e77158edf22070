using System.CommandLine;
using RegistryCleaner.Publisher.Commands;
using RegistryCleaner.Publisher.Messaging;

var root = new RootCommand("Send deletion commands to the registry clean-up worker and watch their results")
{
    DeleteTagCommand.Create(),
    DeleteRepositoryCommand.Create(),
    WatchCommand.Create(),
    RetentionCommand.Create(),
};

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
        Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine("Run with --help for usage.");
    return ExitCodes.TimeoutOrUsage;
}
try
{
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (PublisherException e)
{
    Console.Error.WriteLine(e.Message);
    return e.ExitCode;
}
