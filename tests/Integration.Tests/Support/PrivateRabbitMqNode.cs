using System.Diagnostics;
using System.Globalization;

namespace RegistryCleaner.Integration.Tests.Support;

/// <summary>
/// A RabbitMQ node of the test's own, on its own ports and temporary data directory, started the way scripts/services.sh
/// starts the shared one, so the test may stop and restart it without disturbing the other tests. Stopping keeps the
/// data directory: a restart recovers the durable queues and their persistent messages.
/// </summary>
public sealed class PrivateRabbitMqNode : IAsyncDisposable
{
    private const string Binaries = "/usr/lib/rabbitmq/bin";
    private readonly string _directory;
    private readonly Dictionary<string, string> _environment;
    private Process? _server;

    private PrivateRabbitMqNode(int amqpPort, int distributionPort)
    {
        AmqpPort = amqpPort;
        _directory = Directory.CreateTempSubdirectory($"registry-cleaner-rabbitmq-{amqpPort}-").FullName;
        _environment = ServerEnvironment(_directory, amqpPort, distributionPort);
        Directory.CreateDirectory(Path.Combine(_directory, "mnesia"));
        Directory.CreateDirectory(Path.Combine(_directory, "log"));
        File.WriteAllText(Path.Combine(_directory, "rabbitmq.conf"), $"""
            listeners.tcp.default = 127.0.0.1:{amqpPort}
            distribution.listener.interface = 127.0.0.1
            distribution.listener.port_range.min = {distributionPort}
            distribution.listener.port_range.max = {distributionPort}

            """);
        File.WriteAllText(Path.Combine(_directory, "enabled_plugins"), "[].\n");
    }

    public int AmqpPort { get; }

    public string Uri => $"amqp://guest:guest@127.0.0.1:{AmqpPort}/";

    private string NodeName => _environment["RABBITMQ_NODENAME"];

    private string ServerLog => Path.Combine(_directory, "server.log");

    /// <summary>The server's last lines of output, for failure messages.</summary>
    private string Output => File.Exists(ServerLog) ? string.Join(Environment.NewLine, File.ReadLines(ServerLog).TakeLast(40)) : "";

    public static async Task<PrivateRabbitMqNode> StartAsync(int amqpPort, int distributionPort)
    {
        var node = new PrivateRabbitMqNode(amqpPort, distributionPort);
        try
        {
            await node.StartAsync();
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
        return node;
    }

    /// <summary>Starts the server on the data directory (new, or kept from before) and waits until it has booted.</summary>
    public async Task StartAsync()
    {
        if (_server is { HasExited: false })
            throw new InvalidOperationException($"{NodeName} is already running.");
        _server?.Dispose();
        // A pid file left from the last run would make `rabbitmqctl wait` watch a process that has ended.
        File.Delete(_environment["RABBITMQ_PID_FILE"]);
        // The server's own start script, as the current user (the Debian wrapper would switch to the rabbitmq user and its
        // fixed directories); exec keeps one process, whose SIGTERM the script turns into a clean stop.
        var start = new ProcessStartInfo("/bin/sh");
        foreach (var arg in new[] { "-c", "exec \"$0\" >>\"$1\" 2>&1", Path.Combine(Binaries, "rabbitmq-server"), ServerLog })
            start.ArgumentList.Add(arg);
        foreach (var (key, value) in _environment)
            start.Environment[key] = value;
        _server = Process.Start(start)!;
        await ControlAsync(TimeSpan.FromSeconds(120), "wait", _environment["RABBITMQ_PID_FILE"], "--timeout", "110");
    }

    /// <summary>
    /// A clean shutdown, as <c>docker stop</c> or systemd stops a broker: SIGTERM, which the server's start script and
    /// RabbitMQ itself handle by stopping the node gracefully. Returns once the server has ended. <c>rabbitmqctl stop</c>
    /// does the same but takes seconds to start on a busy machine, by which time a batch may be over.
    /// </summary>
    public async Task StopAsync()
    {
        if (_server is not { HasExited: false })
            return;
        Signals.Send(_server.Id, Signals.Terminate);
        await _server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (Exception)
        {
            // The start script's whole tree holds the Erlang VM and its helpers.
            _server!.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }
        _server?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task ControlAsync(TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(Binaries, "rabbitmqctl")) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-n");
        start.ArgumentList.Add(NodeName);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var (key, value) in _environment)
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"rabbitmqctl {string.Join(' ', args)} did not end within {timeout.TotalSeconds:F0} s. Server output:\n{Output}");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', args)} failed ({process.ExitCode}): {await output}{await error}\nServer output:\n{Output}");
    }

    /// <summary>What scripts/services.sh writes to its env file (HOME is the data directory, where Erlang keeps the node's cookie), and where a crash dump would go.</summary>
    private static Dictionary<string, string> ServerEnvironment(string directory, int amqpPort, int distributionPort) => new()
    {
        ["HOME"] = directory,
        ["RABBITMQ_NODENAME"] = $"rabbit-restart-test-{amqpPort}@localhost",
        ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
        ["RABBITMQ_NODE_PORT"] = amqpPort.ToString(CultureInfo.InvariantCulture),
        ["RABBITMQ_DIST_PORT"] = distributionPort.ToString(CultureInfo.InvariantCulture),
        ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
        ["RABBITMQ_CONFIG_FILE"] = Path.Combine(directory, "rabbitmq"),
        ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(directory, "enabled_plugins"),
        ["RABBITMQ_MNESIA_BASE"] = Path.Combine(directory, "mnesia"),
        ["RABBITMQ_LOG_BASE"] = Path.Combine(directory, "log"),
        ["RABBITMQ_PID_FILE"] = Path.Combine(directory, "rabbitmq.pid"),
        ["RABBITMQ_FEATURE_FLAGS_FILE"] = Path.Combine(directory, "feature_flags"),
        ["ERL_CRASH_DUMP"] = Path.Combine(directory, "erl_crash.dump"),
    };
}
