using System.Diagnostics;
using System.Text.Json;

namespace RegistryCleaner.Bench.Untag;

/// <summary>The Publisher CLI as an operator runs it: <c>registry-cleaner delete-tags --file … --wait --json</c>, timed from start to exit.</summary>
public static class PublisherCli
{
    public sealed record Run(TimeSpan Elapsed, int Exit, Dictionary<string, int> Outcomes, string Error);

    public static async Task<Run> DeleteTagsAsync(string publisherDll, string rabbitMqUri, string registry, string repository, IEnumerable<string> tags)
    {
        var file = Path.Combine(Path.GetTempPath(), $"registry-cleaner-bench-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllLinesAsync(file, tags.Select(t => $$"""{"registry":"{{registry}}","repository":"{{repository}}","tag":"{{t}}","reason":"benchmark"}"""));
        try
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { publisherDll, "delete-tags", "--file", file, "--wait", "--timeout", "600", "--json", "--broker", rabbitMqUri })
                start.ArgumentList.Add(arg);
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start) ?? throw new BenchFailure("The Publisher could not be started.");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var elapsed = clock.Elapsed;
            var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var line in (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                var outcome = root.TryGetProperty("outcome", out var o) ? o.GetString()
                    : root.TryGetProperty("failure", out var f) ? "failed: " + f.GetString() : null;
                if (outcome is not null)
                    outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            }
            return new Run(elapsed, process.ExitCode, outcomes, (await error).Trim());
        }
        finally
        {
            File.Delete(file);
        }
    }
}
