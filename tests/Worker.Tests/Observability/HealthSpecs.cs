using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RegistryCleaner.Sandbox;
using RegistryCleaner.Worker.Observability.Health;
using RegistryCleaner.Worker.Tests.Observability.Support;
using Xunit;

namespace RegistryCleaner.Worker.Tests.Observability;

public sealed class HealthSpecs : IAsyncLifetime
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(20) };
    private SandboxServer _sandbox = null!;
    private readonly List<ObservedWorker> _workers = [];

    public async Task InitializeAsync() =>
        _sandbox = await SandboxServer.StartAsync(new SandboxSeed
        {
            Registries =
            [
                Sandboxes.Oci("oci", new SeedAuth { Mode = AuthMode.Bearer, Username = "u", Password = "p" }),
                new SeedRegistry { Name = "swr", Kind = RegistryCleaner.Sandbox.RegistryKind.Swr, AccessKey = "AK", SecretKey = "SK" },
                new SeedRegistry { Name = "ncr", Kind = RegistryCleaner.Sandbox.RegistryKind.Ncr, AccessKey = "AK", SecretKey = "SK", NcrRegistry = "r" },
            ],
        });

    [Fact]
    public async Task Ready_and_live_answer_200_naming_the_bus_the_scheduler_and_every_registry()
    {
        var health = await StartAsync(Registries());

        // Readiness may take a moment after start-up (the bus connecting, first pings on a loaded machine).
        var (status, body) = await GetAsync(health, "/health/ready");
        await Eventually.TrueAsync(async () => ((status, body) = await GetAsync(health, "/health/ready")).status == HttpStatusCode.OK,
            describe: () => $"/health/ready answered {status}: {body}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        var checks = Checks(body);
        Assert.Equal(["bus", "registry:ncr", "registry:oci", "registry:swr", "scheduler"], checks.Keys.Order());
        Assert.All(checks.Values, c => Assert.Equal("Healthy", c.GetProperty("status").GetString()));
        Assert.Contains("answered 401", checks["registry:oci"].GetProperty("description").GetString()); // a registry that wants credentials still answers

        (status, body) = await GetAsync(health, "/health/live");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["host"], Checks(body).Keys);
        Assert.Equal(IPAddress.Loopback.ToString(), health.Host); // loopback unless Health:Address says otherwise
    }

    [Fact]
    public async Task A_registry_that_cannot_be_reached_makes_the_worker_not_ready_but_still_live()
    {
        var settings = Registries();
        settings["Registries:gone:Kind"] = "Swr";
        settings["Registries:gone:Endpoint"] = $"http://127.0.0.1:{ClosedPort()}";
        settings["Registries:gone:Token"] = "t";
        var health = await StartAsync(settings);

        var (status, body) = await GetAsync(health, "/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var gone = Checks(body)["registry:gone"];
        Assert.Equal("Unhealthy", gone.GetProperty("status").GetString());
        Assert.Contains("cannot be reached", gone.GetProperty("description").GetString());
        Assert.Equal("Healthy", Checks(body)["registry:oci"].GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(health, "/health/live")).Status);
    }

    [Fact]
    public async Task A_registry_answering_5xx_or_not_speaking_the_OCI_API_is_not_ready_until_it_recovers()
    {
        var settings = Registries();
        settings["Health:RegistryPingCache"] = "00:00:00";
        settings["Registries:not-oci:Kind"] = "Oci";
        settings["Registries:not-oci:Endpoint"] = _sandbox.EndpointOf("swr").AbsoluteUri;
        var health = await StartAsync(settings);
        _sandbox.Faults.Add(new FaultRule { Registry = "ncr", Method = "GET", Probability = 1, Status = 503 });

        var (status, body) = await GetAsync(health, "/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("answered 503", Checks(body)["registry:ncr"].GetProperty("description").GetString());
        Assert.Contains("does not serve the OCI distribution API", Checks(body)["registry:not-oci"].GetProperty("description").GetString());

        _sandbox.Faults.Clear();
        (_, body) = await GetAsync(health, "/health/ready");
        Assert.Equal("Healthy", Checks(body)["registry:ncr"].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Frequent_probes_reuse_one_ping_per_registry_within_the_cache_period()
    {
        var settings = Registries();
        settings["Health:RegistryPingCache"] = "00:01:00";
        var health = await StartAsync(settings);
        var before = Pings();

        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => GetAsync(health, "/health/ready")));
        await GetAsync(health, "/health/ready");

        Assert.Equal(1, Pings() - before);
    }

    [Fact]
    public async Task A_bad_health_setting_stops_the_worker_at_start_naming_the_key()
    {
        var settings = Registries();
        settings["Health:Port"] = "0";
        settings["Health:Address"] = "not-an-address";
        var failure = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => ObservedWorker.StartAsync(settings));
        Assert.Contains(failure.Failures, f => f.Contains("Health:Address", StringComparison.Ordinal));
    }

    private int Pings() => _sandbox.Requests.Snapshot("oci").Count(r => r.Method == "GET" && r.RawPath == "/v2/");

    private Dictionary<string, string?> Registries()
    {
        var settings = Sandboxes.Merge(
            Sandboxes.Settings(_sandbox, "oci", "oci", "Oci", ("Username", "u"), ("Password", "p")),
            Sandboxes.Settings(_sandbox, "swr", "swr", "Swr", ("AccessKey", "AK"), ("SecretKey", "SK")),
            Sandboxes.Settings(_sandbox, "ncr", "ncr", "Ncr", ("AccessKey", "AK"), ("SecretKey", "SK"), ("NcrRegistry", "r")));
        settings["Health:Port"] = "0";
        return settings;
    }

    private async Task<Uri> StartAsync(Dictionary<string, string?> settings)
    {
        var worker = await ObservedWorker.StartAsync(settings);
        _workers.Add(worker);
        return worker.Services.GetRequiredService<HealthEndpoint>().BaseAddress!;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(Uri health, string path)
    {
        using var response = await Http.GetAsync(new Uri(health, path));
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static Dictionary<string, JsonElement> Checks(JsonElement body) =>
        body.GetProperty("checks").EnumerateObject().ToDictionary(p => p.Name, p => p.Value);

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task DisposeAsync()
    {
        foreach (var worker in _workers)
            await worker.DisposeAsync();
        await _sandbox.DisposeAsync();
    }
}
