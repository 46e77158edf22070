using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using RegistryCleaner.Contracts;
using RegistryCleaner.Sandbox;
using RegistryCleaner.Worker.Observability;
using RegistryCleaner.Worker.Observability.Health;
using RegistryCleaner.Worker.Tests.Observability.Support;
using Xunit;
using SandboxKind = RegistryCleaner.Sandbox.RegistryKind;
namespace RegistryCleaner.Worker.Tests.Observability;

/// <summary>
/// Registries configured with known secrets (and wrong ones), a full set of commands with successes, retries,
/// exhausted retries, 401s and rejections, and every log line (at Trace, HTTP client headers included), exception,
/// message, header, span attribute, metric tag and health answer searched for those secrets.
/// </summary>
public sealed class SecretLeakSpecs : IAsyncLifetime
{
    private const string User = "cleaner";
    private const string AccessKey = "AKLEAKTEST";
    private const string ProjectId = "9f1c2a3b4d5e6f708192a3b4c5d6e7f8";
    private const string ImageId = "0b6c8a2e-1111-4c4c-9d9d-0123456789ab";

    // Unique per run: a hit can only come from this run, never from another spec that shares the process.
    private static readonly string OciPassword = Secret("oci-password");
    private static readonly string BearerPassword = Secret("bearer-password");
    private static readonly string SwrSecretKey = Secret("swr-secret-key");
    private static readonly string SwrToken = Secret("swr-iam-token");
    private static readonly string ImsToken = Secret("ims-iam-token");
    private static readonly string ImsSecretKey = Secret("ims-secret-key");
    private static readonly string NcrSecretKey = Secret("ncr-secret-key");
    private static readonly string RabbitPassword = Secret("rabbit-password");
    private static readonly string[] WrongSecrets = [Secret("wrong-oci"), Secret("wrong-swr-sk"), Secret("wrong-ims-token"), Secret("wrong-ncr-sk")];

    private readonly ExceptionRecorder _exceptions = new();
    private SandboxServer _sandbox = null!;
    private OtlpReceiver _collector = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync(Seed());
        _collector = await OtlpReceiver.StartAsync();
    }

    [Fact]
    public async Task No_secret_appears_in_any_log_line_exception_event_header_span_metric_or_health_answer()
    {
        var settings = Settings();
        settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = _collector.Endpoint.AbsoluteUri; // what leaves for a collector, logs included
        settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        await using var worker = await ObservedWorker.StartAsync(settings);
        AddFaults();

        var commands = Commands();
        foreach (var (queue, command, _) in commands)
            await worker.SendAsync(queue, command);
        var results = new Dictionary<Guid, object>();
        foreach (var (_, _, requestId) in commands)
            results[requestId] = await worker.ResultAsync(requestId);
        var runId = Guid.NewGuid();
        await worker.SendAsync(QueueNames.RunRetentionPolicy, new RunRetentionPolicy { RunId = runId, Policy = "leak-check", RequestedBy = "leak spec" });
        var run = await worker.RunReportAsync(runId);
        var retentionResults = await Task.WhenAll(Enumerable.Range(1, 2).Select(i => worker.ResultForRunAsync(runId, $"r{i}")));
        var health = await ReadyAnswerAsync(worker);
        worker.Flush();

        // The run did what it was meant to, so the search below looks at every kind of output.
        Assert.Equal(4, results.Values.OfType<DeletionFailed>().Count(f => f.Failure == FailureKind.Unauthorized));
        Assert.Equal(3, results.Values.OfType<DeletionFailed>().Count(f => f.Failure == FailureKind.RetriesExhausted));
        Assert.Contains(results.Values.OfType<DeletionFailed>(), f => f.Failure == FailureKind.Rejected);
        Assert.Contains(results.Values.OfType<DeletionSucceeded>(), s => s.Attempts > 1);
        Assert.Equal(10, results.Values.OfType<DeletionSucceeded>().Count(s => s.Outcome == DeletionOutcome.Deleted));
        Assert.Equal(RetentionRunStatus.Completed, run.Status);
        Assert.All(retentionResults, r => Assert.Equal(DeletionOutcome.Deleted, r.Outcome));
        Assert.All(results.Keys, id => Assert.Contains(worker.Logs.Lines, l => l.Message.Contains(id.ToString(), StringComparison.Ordinal)));
        Assert.Contains(worker.Spans.Spans, s => s.Source.Name == "System.Net.Http");
        Assert.Equal(["/v1/logs", "/v1/metrics", "/v1/traces"], _collector.Exports.Select(e => e.Path).Distinct().Order());

        var haystack = Collect(worker, health);
        Assert.Empty(haystack.Find(Secrets()));
        Assert.Empty(haystack.Matches(CredentialHeader()));

        // Every HTTP request is logged (at Debug, the level is Trace here), and no logger writes request headers.
        Assert.Contains(worker.Logs.Lines, l => l.Category == typeof(RegistryHttpLogger).FullName && l.Message.Contains("answered 401", StringComparison.Ordinal));
        Assert.DoesNotContain(worker.Logs.Lines, l => l.Message.Contains("Request Headers", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_broker_password_appears_nowhere_while_the_worker_fails_to_reach_RabbitMQ()
    {
        var settings = Settings();
        settings["Transport:Kind"] = "RabbitMq";
        settings["Transport:RabbitMq:Uri"] = $"amqp://{User}:{Uri.EscapeDataString(RabbitPassword)}@127.0.0.1:{ClosedPort()}/";
        await using var worker = await ObservedWorker.StartAsync(settings, waitForBus: false);

        var health = await Eventually.FoundAsync(async () => await ReadyAnswerAsync(worker) is { } body && body.Contains("\"bus\"", StringComparison.Ordinal) ? body : null,
            describe: () => "the health endpoint never named the bus");
        // A few connection attempts, each logged.
        await Eventually.TrueAsync(() => worker.Logs.Lines.Count(l => l.Category.StartsWith("MassTransit", StringComparison.Ordinal) && l.Level >= Microsoft.Extensions.Logging.LogLevel.Warning) >= 2,
            describe: () => "fewer than two failed connection attempts were logged");

        var haystack = Collect(worker, health);
        Assert.Empty(haystack.Find([RabbitPassword, Uri.EscapeDataString(RabbitPassword)]));
    }

    private Haystack Collect(ObservedWorker worker, string health) => new Haystack()
        .Add("log", worker.Logs.Lines.SelectMany(LogRecorder.Texts))
        .Add("exception", _exceptions.Exceptions)
        .Add("message", worker.Messages.Messages.SelectMany(MessageRecorder.Texts))
        .Add("span", worker.Spans.Spans.SelectMany(SpanCollector.Texts))
        .Add("metric", worker.Metrics.Collect().SelectMany(m => m.Tags.Select(t => $"{m.Name} {t.Key}={t.Value}")))
        .Add("health", [health])
        .Add("otlp", _collector.Exports.Select(e => e.Text));

    private static IEnumerable<string> Secrets()
    {
        string[] plain = [OciPassword, BearerPassword, SwrSecretKey, SwrToken, ImsToken, ImsSecretKey, NcrSecretKey, RabbitPassword, .. WrongSecrets];
        foreach (var secret in plain)
        {
            yield return secret;
            yield return Uri.EscapeDataString(secret);
        }
        foreach (var password in new[] { OciPassword, BearerPassword, WrongSecrets[0] })
            yield return Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{password}"));
    }

    /// <summary>A credential-carrying header with its value: bearer tokens the sandbox issued are not known in advance.</summary>
    private static Regex CredentialHeader() => new(@"(?i)(authorization|x-auth-token)\s*[:=]\s*(?!\*)[^\s,;""]{4,}|\b(bearer|basic)\s+[A-Za-z0-9+/=_\-.]{16,}");

    private static async Task<string> ReadyAnswerAsync(ObservedWorker worker)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(worker.Services.GetRequiredService<HealthEndpoint>().BaseAddress!, "/health/ready"));
        return await response.Content.ReadAsStringAsync();
    }

    private void AddFaults()
    {
        _sandbox.Faults.Add(new FaultRule { Registry = "oci", Method = "GET", PathPattern = "/manifests/v2$", Sequence = [503] });
        _sandbox.Faults.Add(new FaultRule { Registry = "swr", Method = "DELETE", PathPattern = "/repos/web/tags/v2$", Sequence = [503] });
        _sandbox.Faults.Add(new FaultRule { Registry = "swr", Method = "DELETE", PathPattern = "/repos/web/tags/v3$", Sequence = [429, 429, 429], RetryAfterSeconds = 1 });
        _sandbox.Faults.Add(new FaultRule { Registry = "ims", Method = "DELETE", PathPattern = "/tags/owner$", Sequence = [500, 500, 500] });
        _sandbox.Faults.Add(new FaultRule { Registry = "ncr", Method = "DELETE", PathPattern = "/tags/v2$", Sequence = [0] });
        _sandbox.Faults.Add(new FaultRule { Registry = "ncr", Method = "DELETE", PathPattern = "/tags/v4$", Sequence = [503, 503, 503] });
    }

    private static List<(string Queue, object Command, Guid RequestId)> Commands()
    {
        var list = new List<(string, object, Guid)>();
        void Tag(string registry, string repository, string tag)
        {
            var command = new DeleteTag { RequestId = Guid.NewGuid(), Registry = registry, Repository = repository, Tag = tag, Reason = "leak check", RequestedBy = "leak spec" };
            list.Add((QueueNames.DeleteTag, command, command.RequestId));
        }

        Tag("oci", "team/app", "v1");
        Tag("oci", "team/app", "v2");         // 503, then deleted
        Tag("oci", "team/app", "../x");       // rejected
        Tag("oci-bearer", "team/app", "v3");  // token flow with Basic credentials
        Tag("oci-wrong", "team/app", "v4");   // 401
        Tag("swr", "acme/web", "v1");
        Tag("swr", "acme/web", "v2");         // 503, then deleted
        Tag("swr", "acme/web", "v3");         // 429 on every attempt
        Tag("swr-token", "acme/web", "latest");
        Tag("swr-wrong", "acme/web", "w1");   // 401
        Tag("ims", ImageId, "env");
        Tag("ims", ImageId, "owner");         // 500 on every attempt
        Tag("ims-wrong", ImageId, "team");    // 401
        Tag("ncr", "hello/world", "v1");
        Tag("ncr", "hello/world", "v2");      // connection dropped, then deleted
        Tag("ncr", "hello/world", "v4");      // 503 on every attempt
        Tag("ncr-wrong", "hello/world", "v3"); // 401
        Tag("nowhere", "team/app", "v1");     // unknown registry
        var repository = new DeleteRepository { RequestId = Guid.NewGuid(), Registry = "swr", Repository = "acme/full", DeleteTagsFirst = true, RequestedBy = "leak spec" };
        list.Add((QueueNames.DeleteRepository, repository, repository.RequestId));
        return list;
    }

    private Dictionary<string, string?> Settings()
    {
        var settings = Sandboxes.Merge(
            Sandboxes.Settings(_sandbox, "oci", "oci", "Oci", ("Username", User), ("Password", OciPassword)),
            Sandboxes.Settings(_sandbox, "ocibearer", "oci-bearer", "Oci", ("Username", User), ("Password", BearerPassword)),
            Sandboxes.Settings(_sandbox, "oci", "oci-wrong", "Oci", ("Username", User), ("Password", WrongSecrets[0])),
            Sandboxes.Settings(_sandbox, "swr", "swr", "Swr", ("AccessKey", AccessKey), ("SecretKey", SwrSecretKey)),
            Sandboxes.Settings(_sandbox, "swr", "swr-token", "Swr", ("Token", SwrToken)),
            Sandboxes.Settings(_sandbox, "swr", "swr-wrong", "Swr", ("AccessKey", AccessKey), ("SecretKey", WrongSecrets[1])),
            Sandboxes.Settings(_sandbox, "ims", "ims", "Ims", ("Token", ImsToken), ("ProjectId", ProjectId)),
            Sandboxes.Settings(_sandbox, "ims", "ims-wrong", "Ims", ("Token", WrongSecrets[2]), ("ProjectId", ProjectId)),
            Sandboxes.Settings(_sandbox, "ncr", "ncr", "Ncr", ("AccessKey", AccessKey), ("SecretKey", NcrSecretKey), ("NcrRegistry", "myreg")),
            Sandboxes.Settings(_sandbox, "ncr", "ncr-wrong", "Ncr", ("AccessKey", AccessKey), ("SecretKey", WrongSecrets[3]), ("NcrRegistry", "myreg")));
        settings["Transport:RabbitMq:Uri"] = $"amqp://{User}:{RabbitPassword}@127.0.0.1:5672/"; // configured, unused in memory
        settings["Health:Port"] = "0";
        settings["Retention:Policies:leak-check:Registry"] = "oci";
        settings["Retention:Policies:leak-check:Repositories:Include:0"] = "team/retained";
        settings["Retention:Policies:leak-check:KeepNewest"] = "2";
        return settings;
    }

    private static SandboxSeed Seed() => new()
    {
        Registries =
        [
            Sandboxes.Oci("oci", new SeedAuth { Mode = AuthMode.Basic, Username = User, Password = OciPassword }) is var oci
                ? oci with { Repositories = [.. oci.Repositories, new SeedRepository { Name = "team/retained", Tags = [.. Enumerable.Range(1, 4).Select(i => Sandboxes.Tag($"r{i}", $"r{i}", i))] }] }
                : null!,
            Sandboxes.Oci("ocibearer", new SeedAuth { Mode = AuthMode.Bearer, Username = User, Password = BearerPassword }),
            new SeedRegistry
            {
                Name = "swr", Kind = SandboxKind.Swr, AccessKey = AccessKey, SecretKey = SwrSecretKey, Token = SwrToken,
                Repositories =
                [
                    new SeedRepository { Name = "acme/web", Tags = [.. new[] { "v1", "v2", "v3", "latest", "w1" }.Select(t => new SeedTag { Name = t, Created = Sandboxes.Day0 })] },
                    new SeedRepository { Name = "acme/full", Tags = [.. new[] { "a", "b", "c" }.Select(t => new SeedTag { Name = t, Created = Sandboxes.Day0 })] },
                ],
            },
            new SeedRegistry
            {
                Name = "ims", Kind = SandboxKind.Ims, ProjectId = ProjectId, AccessKey = AccessKey, SecretKey = ImsSecretKey, Token = ImsToken,
                Repositories = [new SeedRepository { Name = ImageId, Tags = [.. new[] { "env", "owner", "team" }.Select(k => new SeedTag { Name = k, Value = "x" })] }],
            },
            new SeedRegistry
            {
                Name = "ncr", Kind = SandboxKind.Ncr, AccessKey = AccessKey, SecretKey = NcrSecretKey, NcrRegistry = "myreg",
                Repositories = [new SeedRepository { Name = "hello/world", Tags = [.. Enumerable.Range(1, 5).Select(i => new SeedTag { Name = $"v{i}", Created = Sandboxes.Day0 })] }],
            },
        ],
    };

    private static string Secret(string what) => $"{what}-{Guid.NewGuid():N}";

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task DisposeAsync()
    {
        _exceptions.Dispose();
        await _collector.DisposeAsync();
        await _sandbox.DisposeAsync();
    }
}
