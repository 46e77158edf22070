using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace RegistryCleaner.Worker.Tests.Observability.Support;

/// <summary>Every exception thrown anywhere in the process while it is attached, caught or not, with its message and type.</summary>
public sealed class ExceptionRecorder : IDisposable
{
    [ThreadStatic]
    private static bool _recording;

    private readonly ConcurrentQueue<string> _exceptions = new();

    public ExceptionRecorder() => AppDomain.CurrentDomain.FirstChanceException += OnException;

    public IReadOnlyList<string> Exceptions => _exceptions.ToArray();

    public void Dispose() => AppDomain.CurrentDomain.FirstChanceException -= OnException;

    private void OnException(object? sender, FirstChanceExceptionEventArgs e)
    {
        if (_recording)
            return;
        _recording = true;
        try
        {
            for (var exception = e.Exception; exception is not null; exception = exception.InnerException)
                _exceptions.Enqueue($"{exception.GetType().FullName}: {exception.Message}");
        }
        finally
        {
            _recording = false;
        }
    }
}
