namespace RegistryCleaner.Publisher.Batches;

public enum BatchFormat
{
    JsonLines,
    Csv,
}

public static class BatchFormats
{
    public const string JsonLinesName = "jsonl";
    public const string CsvName = "csv";

    /// <summary>
    /// --format wins; else the file's extension; else (standard input, other extensions) the first character that is
    /// not white space: '{' starts JSON Lines, anything else CSV.
    /// </summary>
    public static BatchFormat Resolve(string? format, string path, string content)
    {
        if (format is not null)
            return format == CsvName ? BatchFormat.Csv : BatchFormat.JsonLines;
        switch (Path.GetExtension(path).ToLowerInvariant())
        {
            case ".jsonl" or ".ndjson" or ".json":
                return BatchFormat.JsonLines;
            case ".csv":
                return BatchFormat.Csv;
        }
        var first = content.AsSpan().TrimStart();
        return first.Length > 0 && first[0] == '{' ? BatchFormat.JsonLines : BatchFormat.Csv;
    }
}
