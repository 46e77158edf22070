using System.Diagnostics;

namespace RegistryCleaner.Integration.Tests.Support;

/// <summary>
/// A RabbitMQ virtual host of its own, so a test's worker, queues and <c>_error</c> queues are apart from the shared
/// fixture's (which consumes the same queue names). Created with rabbitmqctl against the node scripts/services.sh started.
/// </summary>
public sealed class BatchVirtualHost
{
    private readonly Dictionary<string, string> _environment;

    private BatchVirtualHost(string name, Dictionary<string, string> environment)
    {
        Name = name;
        _environment = environment;
        var uri = new UriBuilder(TestServices.RabbitMqUri) { Path = "/" + Uri.EscapeDataString(name) };
        RabbitMqUri = uri.Uri.ToString();
    }

    public string Name { get; }

    /// <summary>The test broker's URI with this virtual host.</summary>
    public string RabbitMqUri { get; }

    /// <param name="quorum">Queues declared without a type become quorum queues (<c>--default-queue-type quorum</c>).</param>
    public static async Task<BatchVirtualHost> CreateAsync(string prefix, bool quorum = false)
    {
        var services = Environment.GetEnvironmentVariable("RC_SERVICES_DIR")
            ?? throw new InvalidOperationException("RC_SERVICES_DIR is not set: run the integration tests through scripts/test.sh, which starts RabbitMQ.");
        var environment = File.ReadAllLines(Path.Combine(services, "rabbitmq", "env"))
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1]);
        var host = new BatchVirtualHost($"{prefix}-{Guid.NewGuid().ToString("N")[..8]}", environment);
        await (quorum ? host.ControlAsync("add_vhost", host.Name, "--default-queue-type", "quorum") : host.ControlAsync("add_vhost", host.Name));
        await host.ControlAsync("set_permissions", "-p", host.Name, "guest", ".*", ".*", ".*");
        return host;
    }

    public async Task DeleteAsync() => await ControlAsync("delete_vhost", Name);

    /// <summary>The broker's ids of the connections open on this virtual host: a connection closed and opened again gets a new one.</summary>
    public async Task<IReadOnlySet<string>> ConnectionsAsync()
    {
        var output = await ControlAsync("list_connections", "-q", "--no-table-headers", "vhost", "pid");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('\t'))
            .Where(fields => fields.Length == 2 && fields[0] == Name)
            .Select(fields => fields[1])
            .ToHashSet();
    }

    private async Task<string> ControlAsync(params string[] args)
    {
        var start = new ProcessStartInfo("/usr/lib/rabbitmq/bin/rabbitmqctl") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-n");
        start.ArgumentList.Add(_environment["RABBITMQ_NODENAME"]);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var (key, value) in _environment)
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', args)} failed ({process.ExitCode}): {await output}{await error}");
        return await output;
    }
}
