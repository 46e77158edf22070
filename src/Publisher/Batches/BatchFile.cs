using System.Text;
using RegistryCleaner.Publisher.Messaging;

namespace RegistryCleaner.Publisher.Batches;

/// <summary>Every line of a request file, checked: what can be sent, what cannot (with line numbers), and what repeats an earlier line.</summary>
public sealed record BatchFile(BatchFormat Format, IReadOnlyList<BatchRequest> Requests, IReadOnlyList<BatchProblem> Problems, IReadOnlyList<BatchDuplicate> Duplicates)
{
    public const string StandardInput = "-";

    public static BatchFile Parse(string content, BatchFormat format, BatchValidator validator)
    {
        using var reader = new StringReader(content);
        var parsed = format == BatchFormat.Csv ? CsvParser.Parse(reader) : JsonLinesParser.Parse(reader);

        var requests = new List<BatchRequest>();
        var problems = new List<BatchProblem>();
        var duplicates = new List<BatchDuplicate>();
        var byId = new Dictionary<Guid, BatchRequest>();
        foreach (var (fields, parseProblem) in parsed)
        {
            var (request, problem) = fields is null ? (null, parseProblem) : validator.Check(fields);
            if (request is null)
            {
                problems.Add(problem!);
                continue;
            }
            if (byId.TryGetValue(request.RequestId, out var first))
            {
                if (request.SameTargetAs(first))
                    duplicates.Add(new BatchDuplicate(request.Line, first.Line));
                else
                    problems.Add(new BatchProblem(request.Line, $"requestId {request.RequestId} is also the RequestId of line {first.Line}, which asks for {first.Target}; one RequestId names one request."));
                continue;
            }
            byId.Add(request.RequestId, request);
            requests.Add(request);
        }
        return new BatchFile(format, requests, problems, duplicates);
    }

    /// <summary>The whole file, or standard input for "-". A file that cannot be read is a usage error that names it.</summary>
    public static async Task<string> ReadAsync(string path, CancellationToken ct)
    {
        if (path == StandardInput)
        {
            if (!Console.IsInputRedirected)
                Console.Error.WriteLine("Reading requests from standard input; end with Ctrl+D.");
            using var stdin = new StreamReader(Console.OpenStandardInput(), Encoding.UTF8);
            return await stdin.ReadToEndAsync(ct);
        }
        try
        {
            return await File.ReadAllTextAsync(path, Encoding.UTF8, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var why = e switch
            {
                FileNotFoundException or DirectoryNotFoundException => "it does not exist",
                UnauthorizedAccessException => "permission denied",
                _ => e.Message,
            };
            throw new PublisherException($"Cannot read the request file '{path}': {why}.", ExitCodes.TimeoutOrUsage);
        }
    }
}
