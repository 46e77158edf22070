using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace RegistryCleaner.Publisher.Batches;

/// <summary>
/// CSV (RFC 4180: quotes, commas and line breaks inside quoted fields) with a header naming at least
/// <c>registry,repository,tag</c>; <c>reason</c> and <c>requestId</c> columns are optional, in any order.
/// </summary>
public static class CsvParser
{
    private static readonly string[] Required = ["registry", "repository", "tag"];

    public static IEnumerable<(BatchFields? Fields, BatchProblem? Problem)> Parse(TextReader reader)
    {
        string? badData = null;
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = false,
            IgnoreBlankLines = false,
            BadDataFound = args => badData ??= args.Field,
            MissingFieldFound = null,
        };
        using var csv = new CsvReader(reader, configuration);

        Dictionary<string, int>? columns = null;
        var endOfPrevious = 0;
        while (csv.Read())
        {
            var line = endOfPrevious + 1;
            endOfPrevious = csv.Parser.RawRow;
            var record = csv.Parser.Record ?? [];
            if (record.Length == 0 || (record.Length == 1 && string.IsNullOrWhiteSpace(record[0])))
                continue;

            if (columns is null)
            {
                columns = Header(record, out var problem);
                if (problem is not null)
                {
                    yield return (null, new BatchProblem(line, problem));
                    yield break;
                }
                badData = null;
                continue;
            }

            if (badData is not null)
            {
                yield return (null, new BatchProblem(line, "has a quote inside a field that is not quoted; quote the whole field and double the quote (\"\")."));
                badData = null;
                continue;
            }
            if (record.Length != columns.Count)
            {
                yield return (null, new BatchProblem(line, $"has {record.Length} field(s); the header names {columns.Count}."));
                continue;
            }
            yield return (new BatchFields(line, Field("registry"), Field("repository"), Field("tag"), Field("reason"), Field("requestid")), null);

            string? Field(string name) => columns.TryGetValue(name, out var index) && record[index].Length > 0 ? record[index] : null;
        }
        if (columns is null)
            yield return (null, new BatchProblem(0, $"The file has no header line; CSV must start with {string.Join(",", Required)}."));
    }

    private static Dictionary<string, int>? Header(string[] record, out string? problem)
    {
        problem = null;
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < record.Length; i++)
        {
            var name = record[i].Trim();
            if (!JsonLinesParser.Fields.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                problem = $"the header names the unknown column \"{name}\"; the first line must be a header such as registry,repository,tag (optional columns: reason, requestId).";
                return null;
            }
            if (!columns.TryAdd(name, i))
            {
                problem = $"the header names the column \"{name}\" twice.";
                return null;
            }
        }
        var missing = Required.Where(r => !columns.ContainsKey(r)).ToList();
        if (missing.Count > 0)
        {
            problem = $"the header lacks the column(s) {string.Join(", ", missing)}; it must name {string.Join(",", Required)}.";
            return null;
        }
        return columns;
    }
}
