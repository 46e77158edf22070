using System.Text.Json;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using RegistryCleaner.Contracts;
using RegistryCleaner.Integration.Tests.Support;
using RegistryCleaner.Sandbox;

namespace RegistryCleaner.Integration.Tests;

/// <summary>What the scale-out tests share: the services the test script started, a sandbox registry full of tags, worker settings.</summary>
public static class ScaleOutSupport
{
    public const string Registry = "oci";

    /// <summary>A virtual host whose queues are quorum queues by default (made by the test script).</summary>
    public static string QuorumRabbitMqUri => Required("RC_TEST_RABBITMQ_QUORUM_URI");

    /// <summary>The throw-away PostgreSQL server of the test script; each test makes a database of its own there.</summary>
    public static string Postgres => Required("RC_TEST_POSTGRES");

    /// <summary>A sandbox OCI registry holding <paramref name="repositories"/> × <paramref name="tagsPerRepository"/> tags, with the spec's tag delete (one request per deletion).</summary>
    public static async Task<SandboxServer> SandboxAsync(int repositories, int tagsPerRepository)
    {
        var now = DateTimeOffset.UtcNow;
        return await SandboxServer.StartAsync(new SandboxSeed
        {
            Registries =
            [
                new SeedRegistry
                {
                    Name = Registry,
                    Kind = RegistryKind.Oci,
                    TagDeleteSupported = true,
                    Repositories = Enumerable.Range(0, repositories).Select(r => new SeedRepository
                    {
                        Name = $"scale/app-{r:D3}",
                        Tags = Enumerable.Range(0, tagsPerRepository).Select(t => new SeedTag { Name = $"v{t:D4}", Image = $"image-{t % 7}", Created = now }).ToList(),
                    }).ToList(),
                },
            ],
        });
    }

    /// <summary>One DeleteTag per tag in the sandbox, each with its own RequestId.</summary>
    public static List<DeleteTag> DeleteEveryTag(SandboxServer sandbox) =>
        sandbox.State.Repositories(Registry)
            .SelectMany(repository => sandbox.State.Tags(Registry, repository).Select(tag => new DeleteTag
            {
                RequestId = Guid.NewGuid(),
                Registry = Registry,
                Repository = repository,
                Tag = tag,
                RequestedBy = "scale-out test",
            }))
            .ToList();

    /// <summary>A worker on <paramref name="brokerUri"/> that knows the sandbox registry, configured the way docker-compose.yml configures it.</summary>
    public static Dictionary<string, string?> WorkerSettings(string brokerUri, SandboxServer sandbox) => new()
    {
        ["Transport__Kind"] = "RabbitMq",
        ["Transport__RabbitMq__Uri"] = brokerUri,
        ["Registries__oci__Kind"] = "Oci",
        ["Registries__oci__Endpoint"] = sandbox.EndpointOf(Registry).ToString(),
        ["Retry__BaseDelay"] = "00:00:00.100",
        // One line per deletion from thousands of deletions would only slow the test down.
        ["Logging__LogLevel__RegistryCleaner"] = "Warning",
    };

    /// <summary>How many of <paramref name="requestIds"/> sit in <paramref name="queue"/>; looks without taking anything away.</summary>
    public static async Task<int> CountInQueueAsync(string brokerUri, string queue, IReadOnlySet<Guid> requestIds)
    {
        var factory = new ConnectionFactory { Uri = new Uri(brokerUri) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var found = 0;
        try
        {
            // Unacknowledged gets go back to the queue when the channel closes.
            while (await channel.BasicGetAsync(queue, autoAck: false) is { } message)
            {
                if (RequestIdOf(message.Body) is { } requestId && requestIds.Contains(requestId))
                    found++;
            }
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            return 0; // no such queue: nothing was ever sent there
        }
        return found;
    }

    /// <summary>The RequestId of a MassTransit envelope; null for anything else (other tests leave hostile bodies in error queues).</summary>
    private static Guid? RequestIdOf(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement is { ValueKind: JsonValueKind.Object } root
                && root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object
                && message.TryGetProperty("requestId", out var id) && id.ValueKind == JsonValueKind.String && id.TryGetGuid(out var requestId)
                    ? requestId
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe) =>
        Eventually.TrueAsync(condition, timeout, describe);

    private static string Required(string name) => Environment.GetEnvironmentVariable(name)
        ?? throw new InvalidOperationException($"{name} is not set: run the integration tests through scripts/test.sh, which starts the services they need.");
}

/// <summary>A database of its own on the test PostgreSQL server, dropped afterwards.</summary>
public sealed class ScaleOutDatabase : IAsyncDisposable
{
    private readonly string _name = $"rc_{Guid.NewGuid():N}";

    private ScaleOutDatabase()
    {
    }

    public string ConnectionString { get; private set; } = "";

    public static async Task<ScaleOutDatabase> CreateAsync()
    {
        var database = new ScaleOutDatabase();
        await ExecuteOnServerAsync($"CREATE DATABASE \"{database._name}\"");
        database.ConnectionString = new NpgsqlConnectionStringBuilder(ScaleOutSupport.Postgres) { Database = database._name, Pooling = false }.ConnectionString;
        return database;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The stored cron schedule of each retention trigger (the reclaim schedule is not one): name → expression.</summary>
    public async Task<Dictionary<string, string>> CronTriggersAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT trigger_name, cron_expression FROM qrtz_cron_triggers WHERE trigger_group = 'retention'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var triggers = new Dictionary<string, string>();
        while (await reader.ReadAsync())
            triggers[reader.GetString(0)] = reader.GetString(1);
        return triggers;
    }

    /// <summary>A user that may read and write the tables that exist now, and create nothing, as a careful administrator grants.</summary>
    public async Task<string> CreateUserWithoutCreateRightsAsync()
    {
        var user = _name + "_user";
        await ExecuteOnServerAsync($"CREATE ROLE \"{user}\" LOGIN");
        await ExecuteAsync($"GRANT CONNECT ON DATABASE \"{_name}\" TO \"{user}\"; REVOKE CREATE ON SCHEMA public FROM PUBLIC; "
            + $"GRANT USAGE ON SCHEMA public TO \"{user}\"; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO \"{user}\"");
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Username = user }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)");
        await ExecuteOnServerAsync($"DROP ROLE IF EXISTS \"{_name}_user\"");
    }

    private static async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ScaleOutSupport.Postgres) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
