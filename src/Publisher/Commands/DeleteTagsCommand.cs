using System.CommandLine;
using RegistryCleaner.Common.Validation;
using RegistryCleaner.Publisher.Batches;
using RegistryCleaner.Publisher.Messaging;

namespace RegistryCleaner.Publisher.Commands;

public static class DeleteTagsCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var file = new Option<string>("--file", "-f")
        {
            Description = "Requests, one per line: JSON Lines ({\"registry\":\"r\",\"repository\":\"team/app\",\"tag\":\"v1\"}, optional \"reason\" and \"requestId\") "
                + "or CSV with the header registry,repository,tag[,reason][,requestId]; - reads standard input",
            Required = true,
        };
        var format = new Option<string?>("--format") { Description = "jsonl or csv (default: from the file's extension, else from its first character)" };
        format.AcceptOnlyFromAmong(BatchFormats.JsonLinesName, BatchFormats.CsvName);
        var skipInvalid = new Option<bool>("--skip-invalid") { Description = "Send the valid lines even when others are invalid (the skipped lines make the exit code 1)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Check the file and show what would be sent; send nothing" };
        var noProgress = new Option<bool>("--no-progress") { Description = "No progress bars (they only ever show when standard error is a terminal)" };
        var reason = CommonOptions.Reason("Why, for the audit trail, for lines that give no reason");
        var requestedBy = CommonOptions.RequestedBy();

        var command = new Command("delete-tags",
            "Delete many tags from a file: every line is checked before anything is sent; with --wait, exit 0 when all succeeded, 1 when some failed, 2 on timeout or bad input. "
            + "RequestIds derive from each line's content unless given, so re-running a file is safe.")
        {
            file, format, skipInvalid, dryRun, noProgress, reason, requestedBy,
        };
        common.AddTo(command, waits: true);
        command.Validators.Add(result =>
        {
            if (result.GetValue(reason) is { Length: > NameRules.MaxReason })
                result.AddError($"--reason may hold at most {NameRules.MaxReason} characters.");
            if (result.GetValue(requestedBy) is { Length: > NameRules.MaxRequestedBy })
                result.AddError($"--requested-by may hold at most {NameRules.MaxRequestedBy} characters.");
        });
        command.SetAction((parse, ct) => BatchRun.RunAsync(new BatchOptions(
            parse.GetValue(file)!,
            parse.GetValue(format),
            parse.GetValue(skipInvalid),
            parse.GetValue(dryRun),
            parse.GetValue(noProgress),
            parse.GetValue(reason),
            parse.GetValue(requestedBy),
            common.SettingsOf(parse)), ct));
        return command;
    }
}
