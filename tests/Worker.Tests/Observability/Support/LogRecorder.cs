using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace RegistryCleaner.Worker.Tests.Observability.Support;

public sealed record LogLine(string Category, LogLevel Level, string Message, string? Exception, IReadOnlyList<string> Values);

/// <summary>Records every log line at every level with its exception, named values and scopes.</summary>
public sealed class LogRecorder : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<LogLine> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<LogLine> Lines => _lines.ToArray();

    public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    /// <summary>Everything a line holds as text.</summary>
    public static IEnumerable<string> Texts(LogLine line) => [line.Category, line.Message, line.Exception ?? "", .. line.Values];

    private sealed class Recorder(LogRecorder owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = new List<string>();
            AddValues(state, values);
            owner._scopes.ForEachScope((scope, list) => AddValues(scope, list), values);
            owner._lines.Enqueue(new LogLine(category, logLevel, formatter(state, exception), exception?.ToString(), values));
        }

        private static void AddValues(object? state, List<string> values)
        {
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
                values.AddRange(pairs.Select(p => $"{p.Key}={Text(p.Value)}"));
            else if (state is not null)
                values.Add(state.ToString() ?? "");
        }

        /// <summary>Collections item by item (header values arrive as string[]), as a structured exporter would write them.</summary>
        private static string? Text(object? value) =>
            value is System.Collections.IEnumerable items and not string ? string.Join(", ", items.Cast<object?>()) : value?.ToString();
    }
}
