using System.Diagnostics;
using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace RegistryCleaner.Integration.Tests.Support;

/// <summary>
/// The worker as operators run it: its own process, composed by its own Program.cs, configured through environment
/// variables. Ready once it consumes the queue the test names.
/// </summary>
public sealed class BatchWorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private BatchWorkerProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Log
    {
        get
        {
            lock (_log)
                return _log.ToString();
        }
    }

    public static async Task<BatchWorkerProcess> StartAsync(string brokerUri, string readyQueue, IReadOnlyDictionary<string, string> settings)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "RegistryCleaner.Worker.dll"));
        start.Environment["Transport__Kind"] = "RabbitMq";
        start.Environment["Transport__RabbitMq__Uri"] = brokerUri;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
            start.Environment[key] = value;
        var worker = new BatchWorkerProcess(Process.Start(start)!);
        try
        {
            await worker.WaitUntilConsumingAsync(brokerUri, readyQueue);
        }
        catch
        {
            await worker.DisposeAsync();
            throw;
        }
        return worker;
    }

    private async Task WaitUntilConsumingAsync(string brokerUri, string queue)
    {
        var factory = new ConnectionFactory { Uri = new Uri(brokerUri) };
        await using var connection = await factory.CreateConnectionAsync();
        await Eventually.TrueAsync(async () =>
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The worker ended with exit code {_process.ExitCode} before it consumed '{queue}':\n{Log}");
            await using var channel = await connection.CreateChannelAsync();
            try
            {
                return (await channel.QueueDeclarePassiveAsync(queue)).ConsumerCount > 0;
            }
            catch (OperationInterruptedException)
            {
                return false; // the queue does not exist until the worker declares it
            }
        }, TimeSpan.FromSeconds(90), () => $"the worker did not consume '{queue}':\n{Log}");
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_log)
            _log.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
