using System.Diagnostics;
using System.Text.Json;

namespace RegistryCleaner.Integration.Tests.Support;

/// <summary>Runs the Publisher CLI as its own process, optionally feeding standard input, with a caller-chosen time limit.</summary>
public static class BatchCli
{
    public sealed record Run(int Exit, string Output, string Error)
    {
        /// <summary>Every line of standard output parsed as one JSON object; fails the test on a line that is not.</summary>
        public List<JsonElement> JsonLines() =>
            Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
            {
                try
                {
                    using var document = JsonDocument.Parse(line);
                    Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
                    return document.RootElement.Clone();
                }
                catch (JsonException e)
                {
                    throw new Xunit.Sdk.XunitException($"Standard output line is not JSON: {line}\n{e.Message}");
                }
            }).ToList();

        public IEnumerable<JsonElement> Events(string name) => JsonLines().Where(e => e.GetProperty("event").GetString() == name);

        public override string ToString() => $"exit {Exit}\n--- stdout\n{Output}\n--- stderr\n{Error}";
    }

    public static async Task<Run> RunAsync(TimeSpan limit, string? input, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(CliPath.Dll);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
            await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"registry-cleaner {string.Join(' ', args)} did not end within {limit.TotalSeconds} s.\n{await error}");
        }
        return new Run(process.ExitCode, await output, await error);
    }

    public static Task<Run> RunAsync(params string[] args) => RunAsync(TimeSpan.FromSeconds(120), null, args);

    /// <summary>Starts a command that runs until stopped (such as <c>watch</c>) and returns once its standard error shows <paramref name="ready"/>.</summary>
    public static async Task<Running> StartAsync(string ready, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(CliPath.Dll);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        var output = new Running.Lines(process.StandardOutput);
        var error = new System.Text.StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            error.AppendLine(line);
            if (line.Contains(ready, StringComparison.Ordinal))
                return new Running(process, output, error);
        }
        throw new InvalidOperationException($"registry-cleaner {string.Join(' ', args)} ended before it was ready:\n{error}");
    }

    public sealed class Running(Process process, Running.Lines output, System.Text.StringBuilder error) : IDisposable
    {
        /// <summary>Waits until standard output holds a line that contains <paramref name="text"/>.</summary>
        public Task ShownAsync(string text) =>
            Eventually.TrueAsync(() => output.Text.Contains(text, StringComparison.Ordinal), describe: () => $"'{text}' not shown; standard output:\n{output.Text}");

        /// <summary>Stops the process as Ctrl+C would not be available here: it is killed, and what it wrote is returned.</summary>
        public async Task<Run> StopAsync()
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            await output.Ended;
            return new Run(process.ExitCode, output.Text, error + await process.StandardError.ReadToEndAsync());
        }

        public void Dispose()
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            process.Dispose();
        }

        /// <summary>Standard output as it is written, line by line.</summary>
        public sealed class Lines
        {
            private readonly System.Text.StringBuilder _text = new();

            public Lines(StreamReader reader) => Ended = PumpAsync(reader);

            public Task Ended { get; }

            public string Text
            {
                get
                {
                    lock (_text)
                        return _text.ToString();
                }
            }

            private async Task PumpAsync(StreamReader reader)
            {
                while (await reader.ReadLineAsync() is { } line)
                {
                    lock (_text)
                        _text.Append(line).Append('\n');
                }
            }
        }
    }

    private static readonly string FilesDirectory = CreateFilesDirectory();

    /// <summary>A request file in a temporary folder that is removed when the test run ends.</summary>
    public static async Task<string> WriteFileAsync(string extension, IEnumerable<string> lines)
    {
        var path = Path.Combine(FilesDirectory, $"requests-{Guid.NewGuid():N}{extension}");
        await File.WriteAllLinesAsync(path, lines);
        return path;
    }

    private static string CreateFilesDirectory()
    {
        var directory = Directory.CreateTempSubdirectory("registry-cleaner-tests-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(directory, recursive: true);
        return directory;
    }
}
