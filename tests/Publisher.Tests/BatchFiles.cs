using RegistryCleaner.Publisher.Batches;

namespace RegistryCleaner.Publisher.Tests;

internal static class BatchFiles
{
    public static BatchFile Parse(string content, BatchFormat format) =>
        BatchFile.Parse(content, format, new BatchValidator("default reason", "tester"));

    public static BatchFile Jsonl(params string[] lines) => Parse(string.Join("\n", lines), BatchFormat.JsonLines);

    public static BatchFile Csv(params string[] lines) => Parse(string.Join("\n", lines), BatchFormat.Csv);
}
