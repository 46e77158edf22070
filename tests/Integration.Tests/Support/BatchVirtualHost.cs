using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace RegistryCleaner.Integration.Tests.Support;

/// <summary>
/// A RabbitMQ virtual host of its own, so a test's worker, queues and <c>_error</c> queues are apart from the shared
/// fixture's (which consumes the same queue names) and from the tests that run beside it. Made through the management API
/// of the node scripts/services.sh started: a rabbitmqctl call is an Erlang VM of its own, a second or more of CPU each.
/// </summary>
public sealed class BatchVirtualHost
{
    private static readonly HttpClient Management = ManagementClient();
    private readonly Dictionary<string, string> _environment;

    private BatchVirtualHost(string name, Dictionary<string, string> environment)
    {
        Name = name;
        _environment = environment;
        RabbitMqUri = UriOf(TestServices.RabbitMqUri);
    }

    public string Name { get; }

    /// <summary>The test broker's URI with this virtual host.</summary>
    public string RabbitMqUri { get; }

    /// <summary><paramref name="brokerUri"/> (another broker user's, say) with this virtual host.</summary>
    public string UriOf(string brokerUri) => new UriBuilder(brokerUri) { Path = "/" + Uri.EscapeDataString(Name) }.Uri.ToString();

    /// <param name="quorum">Queues declared without a type become quorum queues (<c>--default-queue-type quorum</c>).</param>
    /// <param name="users">Broker users besides guest that may use every queue and exchange of it.</param>
    public static async Task<BatchVirtualHost> CreateAsync(string prefix, bool quorum = false, params string[] users)
    {
        var services = Environment.GetEnvironmentVariable("RC_SERVICES_DIR")
            ?? throw new InvalidOperationException("RC_SERVICES_DIR is not set: run the integration tests through scripts/test.sh, which starts RabbitMQ.");
        var environment = File.ReadAllLines(Path.Combine(services, "rabbitmq", "env"))
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1]);
        var host = new BatchVirtualHost($"{prefix}-{Guid.NewGuid().ToString("N")[..8]}", environment);
        // RabbitMQ 3.10 reads the default queue type as "defaultqueuetype", later versions as "default_queue_type".
        await SendAsync(HttpMethod.Put, host.ApiPath("vhosts"),
            quorum ? new Dictionary<string, string> { ["defaultqueuetype"] = "quorum", ["default_queue_type"] = "quorum" } : new Dictionary<string, string>());
        foreach (var user in users.Prepend("guest"))
            await SendAsync(HttpMethod.Put, host.ApiPath("permissions") + "/" + Uri.EscapeDataString(user), new { configure = ".*", write = ".*", read = ".*" });
        return host;
    }

    public Task DeleteAsync() => SendAsync(HttpMethod.Delete, ApiPath("vhosts"), null);

    private string ApiPath(string resource) => $"api/{resource}/{Uri.EscapeDataString(Name)}";

    private static async Task SendAsync(HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await Management.SendAsync(request);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static HttpClient ManagementClient()
    {
        var url = Environment.GetEnvironmentVariable("RC_TEST_RABBITMQ_MANAGEMENT_URL")
            ?? throw new InvalidOperationException("RC_TEST_RABBITMQ_MANAGEMENT_URL is not set: run the integration tests through scripts/test.sh, which starts RabbitMQ.");
        var broker = new Uri(TestServices.RabbitMqUri);
        var credentials = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Uri.UnescapeDataString(broker.UserInfo)));
        return new HttpClient
        {
            BaseAddress = new Uri(url),
            Timeout = TimeSpan.FromSeconds(60),
            DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Basic", credentials) },
        };
    }

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
        // A second or so on a quiet machine; the bound leaves room for a machine whose cores the tests beside it keep busy.
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(180));
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', args)} failed ({process.ExitCode}): {await output}{await error}");
        return await output;
    }
}
